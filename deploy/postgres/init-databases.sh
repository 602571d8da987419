#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d):
# one login role and one database per service, the role owning its database, so a service
# can only reach its own data. Each role applies its own migrations at start (recorded in
# schema_migrations; product's creates the trusted pg_trgm extension as the owner).
# Environment: ORDERSTREAM_DB_PASSWORD (required), ORDERSTREAM_SERVICES (default below).
set -Eeuo pipefail

: "${ORDERSTREAM_DB_PASSWORD:?ORDERSTREAM_DB_PASSWORD must be set for the service database roles}"
SERVICES="${ORDERSTREAM_SERVICES:-account product order payment recommender}"

for service in $SERVICES; do
  [[ "$service" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "init-databases: bad service name '$service'" >&2; exit 1; }
  database="${service}_db"
  # The password goes through a psql variable (:'password'), quoted by psql, never spliced.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v service="$service" -v database="$database" -v password="$ORDERSTREAM_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'service', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'service') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8''', :'database', :'service')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec
SQL
  echo "init-databases: $database owned by role $service"
done
