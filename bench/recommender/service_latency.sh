#!/usr/bin/env bash
# End-to-end recommendation latency: the real `orderstream recommender` on a bench PostgreSQL,
# its replica loaded with the 10,000-product data set (2,000 users, 200,000 interactions),
# called over gRPC by recommender_service_load. Run by bench/recommender/run.py, or alone:
#   bench/recommender/service_latency.sh [build dir] RATINGS.csv
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../load/bench-env.sh"
RATINGS="$(realpath "$2")"
LOAD_CLIENT="$BUILD_DIR/bench/recommender/recommender_service_load"
DB="$PG_BASE/recommender_db"
PORT=52055
ADMIN=52065

export RECOMMENDER_RETRAIN_MIN_INTERACTIONS=1 RECOMMENDER_RETRAIN_POLL_MS=200
export RECOMMENDER_CONSUMER_GROUP="recommender-bench-$$"
start_role recommender $PORT $ADMIN
# The replica as the consumer would have written it: products, interactions, popularity.
psql -q -v ON_ERROR_STOP=1 "$DB" <<SQL
TRUNCATE products, interactions, product_popularity, models;
INSERT INTO products (id, name, description, price_cents)
  SELECT 'i' || n, 'Product ' || n, 'Generated product ' || n, 100 + n FROM generate_series(0, 9999) AS n;
CREATE TEMP TABLE raw (user_id TEXT, product_id TEXT, rating SMALLINT);
\copy raw FROM '$RATINGS' WITH (FORMAT csv)
INSERT INTO interactions (user_id, product_id, rating) SELECT user_id, product_id, max(rating) FROM raw GROUP BY 1, 2;
INSERT INTO product_popularity (product_id, score, users)
  SELECT product_id, sum(rating), count(*) FROM interactions GROUP BY 1;
SQL
expected=$(psql -tA "$DB" -c "SELECT count(*) FROM interactions")
for _ in $(seq 600); do
  trained=$(curl -sf "http://127.0.0.1:$ADMIN/metrics" | awk '$1 == "recommender_model_ratings" { print $2 }')
  [[ "${trained%.*}" == "$expected" ]] && break
  sleep 0.2
done
[[ "${trained%.*}" == "$expected" ]] || { echo "the recommender never trained on $expected interactions" >&2; exit 1; }
for scenario in user viewed; do
  for concurrency in 1 8; do
    "$LOAD_CLIENT" --target "127.0.0.1:$PORT" --scenario $scenario --concurrency $concurrency --duration 10 --warmup 2
  done
done
