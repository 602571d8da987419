#!/usr/bin/env bash
# Project-local PostgreSQL 15 (Debian's binaries) for development and tests.
#
#   scripts/pg.sh start          initdb on first use, start, wait until ready, create databases
#   scripts/pg.sh stop           fast shutdown (idempotent)
#   scripts/pg.sh status         exit 0 when running and accepting connections, 3 otherwise
#   scripts/pg.sh url [db]       print the connection URL (db defaults to postgres)
#   scripts/pg.sh psql [db] [psql args...]   open psql (db defaults to postgres)
#
# Environment (defaults):
#   ORDERSTREAM_DATA_DIR  <repo>/.data     data lives in $ORDERSTREAM_DATA_DIR/postgres
#   PG_PORT               55432            TCP port, 127.0.0.1 only; unix socket in the data folder
#   PG_BIN                /usr/lib/postgresql/15/bin
#   PG_START_TIMEOUT      60               seconds to wait for readiness
#   PG_DATABASES          "account_db product_db order_db payment_db recommender_db"
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
DATA_ROOT="$(realpath -m "${ORDERSTREAM_DATA_DIR:-$REPO_DIR/.data}")"
PGDATA_DIR="$DATA_ROOT/postgres"
PG_PORT="${PG_PORT:-55432}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_START_TIMEOUT="${PG_START_TIMEOUT:-60}"
PG_SUPERUSER=orderstream
PG_HOST=127.0.0.1
PG_DATABASES="${PG_DATABASES:-account_db product_db order_db payment_db recommender_db}"

log() { printf 'pg: %s\n' "$*"; }
die() { printf 'pg: ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "PG_PORT must be a number, got '$PG_PORT'"

# Client tools: prefer the version-15 binaries, fall back to PATH.
client() {
  local tool=$1; shift
  if [[ -x "$PG_BIN/$tool" ]]; then "$PG_BIN/$tool" "$@"; else "$tool" "$@"; fi
}

# Server-side commands must not run as root: use the postgres OS user then.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@") 9>&-
  else
    "$@" 9>&-
  fi
}

check_binaries() {
  local b
  for b in initdb pg_ctl postgres pg_isready psql; do
    [[ -x "$PG_BIN/$b" ]] || die "$PG_BIN/$b not found: install postgresql-15 (scripts/deps.sh) or set PG_BIN"
  done
}

# When root, the postgres user must be able to reach the data folder.
check_reachable() {
  [[ $(id -u) -eq 0 ]] || return 0
  id postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist (install postgresql-15: scripts/deps.sh)"
  local d="" part
  IFS='/' read -ra parts <<<"${DATA_ROOT#/}"
  for part in "${parts[@]}"; do
    d="$d/$part"
    [[ -d "$d" ]] || break
    if ! runuser -u postgres -- test -x "$d"; then
      die "the 'postgres' OS user cannot traverse $d ($(stat -c '%A %U:%G' "$d")); PostgreSQL refuses to run as root, so it runs as 'postgres'. Fix with: chmod o+x '$d'  (or set ORDERSTREAM_DATA_DIR to a reachable path)"
    fi
  done
}

prepare_dirs() {
  mkdir -p "$DATA_ROOT"
  check_reachable
  if [[ ! -d "$PGDATA_DIR" ]]; then
    mkdir -p "$PGDATA_DIR"
  fi
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$PGDATA_DIR"
  fi
  chmod 700 "$PGDATA_DIR"
  local sock="$PGDATA_DIR/.s.PGSQL.$PG_PORT"
  (( ${#sock} <= 107 )) || die "unix socket path too long (${#sock} > 107 chars): $sock; use a shorter ORDERSTREAM_DATA_DIR"
}

# The postmaster of postmaster.pid is alive (not a zombie after a kill -9).
is_running() {
  local pid state
  [[ -f "$PGDATA_DIR/postmaster.pid" ]] || return 1
  pid=$(sed -n '1p' "$PGDATA_DIR/postmaster.pid" 2>/dev/null | tr -dc '0-9')
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [[ -n "$state" && "$state" != Z && "$state" != X ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres* ]]
}

# After a crash/kill -9 postmaster.pid stays behind. PostgreSQL ignores it once the pid
# is gone, but refuses while the dead postmaster is an unreaped zombie or the pid was
# reused by another program: wait for the zombie, drop a file whose pid is not postgres.
clear_stale_pid() {
  local f="$PGDATA_DIR/postmaster.pid" pid state i
  [[ -f "$f" ]] || return 0
  pid=$(sed -n '1p' "$f" 2>/dev/null | tr -dc '0-9')
  [[ -n "$pid" ]] || return 0
  for ((i = 0; i < 300; i++)); do
    state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || true
    [[ "$state" == Z ]] || break
    (( i == 0 )) && log "previous postmaster (pid $pid) died and is not reaped yet, waiting"
    sleep 0.1
  done
  if [[ -e "/proc/$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" != postgres* ]]; then
    log "removing stale postmaster.pid (pid $pid is not a postgres process)"
    rm -f "$f"
  fi
}

# The port the running server actually listens on (from postmaster.pid, line 4).
running_port() {
  sed -n '4p' "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true
}

# Ready = answers pg_isready and a query, and is the server of *our* data folder.
accepts_queries() {
  client pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -d postgres -U "$PG_SUPERUSER" -t 2 >/dev/null 2>&1 &&
    [[ "$(client psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres -tAc \
      "select current_setting('data_directory')" 2>/dev/null)" == "$PGDATA_DIR" ]]
}

port_busy() {
  (exec 3<>"/dev/tcp/$PG_HOST/$1") 2>/dev/null
}

log_tail() {
  local f
  local newest
  newest=$(find "$PGDATA_DIR/log" -maxdepth 1 -name '*.log' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-)
  for f in "$PGDATA_DIR/startup.log" "$newest"; do
    [[ -n "$f" && -f "$f" ]] || continue
    echo "---- tail of $f ----" >&2
    tail -n 30 "$f" >&2 || true
  done
}

write_config() {
  # Rewritten on every start so port / paths follow the environment.
  local conf="$PGDATA_DIR/orderstream.conf"
  as_owner tee "$conf" >/dev/null <<EOF
# Written by scripts/pg.sh on every start: edit the script, not this file.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$PGDATA_DIR'
max_connections = 300
superuser_reserved_connections = 3
shared_buffers = 256MB
effective_cache_size = 2GB
work_mem = 4MB
maintenance_work_mem = 64MB
wal_buffers = 16MB
max_wal_size = 2GB
min_wal_size = 256MB
checkpoint_timeout = 15min
checkpoint_completion_target = 0.9
random_page_cost = 1.1
effective_io_concurrency = 200
fsync = on
synchronous_commit = on
full_page_writes = on
logging_collector = on
log_directory = 'log'
log_filename = 'postgresql-%a.log'
log_truncate_on_rotation = on
log_rotation_age = 1d
log_rotation_size = 0
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
EOF
}

init_cluster() {
  log "initdb into $PGDATA_DIR (UTF8, superuser '$PG_SUPERUSER', trust on loopback)"
  if [[ -n "$(ls -A "$PGDATA_DIR" 2>/dev/null)" ]]; then
    die "$PGDATA_DIR is not empty but has no PG_VERSION: move it away or delete it"
  fi
  local out
  if ! out=$(as_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" -U "$PG_SUPERUSER" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=trust 2>&1); then
    echo "$out" >&2
    die "initdb failed"
  fi
  as_owner tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<'EOF'
# Local development only: the server listens on 127.0.0.1 and a private unix socket.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
host    all       all   ::1/128        trust
local   replication all                trust
host    replication all 127.0.0.1/32   trust
EOF
  printf "\n# OrderStream local settings (port, socket, tuning)\ninclude_if_exists = 'orderstream.conf'\n" |
    as_owner tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

wait_ready() {
  local deadline=$((SECONDS + PG_START_TIMEOUT))
  until accepts_queries; do
    if ! is_running; then
      log_tail
      die "PostgreSQL ($PGDATA_DIR) is not running (exited during start-up?)"
    fi
    if (( SECONDS >= deadline )); then
      log_tail
      die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within ${PG_START_TIMEOUT}s"
    fi
    sleep 0.3
  done
}

ensure_databases() {
  local existing db created=()
  existing=$(client psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres -tAc 'select datname from pg_database') ||
    die "cannot list databases"
  for db in $PG_DATABASES; do
    if ! grep -qx "$db" <<<"$existing"; then
      client psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres \
        -c "CREATE DATABASE \"$db\" ENCODING 'UTF8'" >/dev/null || die "cannot create database $db"
      created+=("$db")
    fi
  done
  if (( ${#created[@]} )); then log "created databases: ${created[*]}"; fi
}

cmd_start() {
  check_binaries
  prepare_dirs
  exec 9>>"$DATA_ROOT/.pg.lock"
  flock -w 120 9 || die "another pg.sh holds $DATA_ROOT/.pg.lock"
  if is_running; then
    local rp; rp=$(running_port)
    if [[ -n "$rp" && "$rp" != "$PG_PORT" ]]; then
      die "PostgreSQL in $PGDATA_DIR is already running on port $rp, not $PG_PORT: stop it first (PG_PORT=$rp $0 stop)"
    fi
    wait_ready
    log "already running on $PG_HOST:$PG_PORT (data $PGDATA_DIR), reusing"
  else
    [[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_cluster
    if port_busy "$PG_PORT"; then
      die "port $PG_PORT on $PG_HOST is in use by another process: set PG_PORT or stop that process"
    fi
    clear_stale_pid
    write_config
    log "starting PostgreSQL on $PG_HOST:$PG_PORT (data $PGDATA_DIR)"
    local t0=$SECONDS
    if ! as_owner "$PG_BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$PGDATA_DIR/startup.log" \
        -w -t "$PG_START_TIMEOUT" -s >/dev/null 2>&1; then
      log_tail
      die "pg_ctl start failed (see above)"
    fi
    wait_ready
    log "ready after $((SECONDS - t0))s"
  fi
  ensure_databases
  log "url: $(url postgres)"
}

cmd_stop() {
  [[ -x "$PG_BIN/pg_ctl" ]] || die "$PG_BIN/pg_ctl not found"
  if [[ ! -d "$PGDATA_DIR" ]] || ! is_running; then
    log "not running (data $PGDATA_DIR)"
    return 0
  fi
  mkdir -p "$DATA_ROOT"
  exec 9>>"$DATA_ROOT/.pg.lock"
  flock -w 120 9 || die "another pg.sh holds $DATA_ROOT/.pg.lock"
  log "stopping (fast) $PGDATA_DIR"
  if ! as_owner "$PG_BIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 60 -s >/dev/null 2>&1; then
    is_running && die "pg_ctl stop failed; see $PGDATA_DIR/log"
  fi
  log "stopped"
}

cmd_status() {
  if [[ -d "$PGDATA_DIR" ]] && is_running; then
    local rp; rp=$(running_port)
    if [[ -n "$rp" && "$rp" != "$PG_PORT" ]]; then
      log "running on $PG_HOST:$rp, not on PG_PORT=$PG_PORT (data $PGDATA_DIR)"
      return 3
    fi
    if accepts_queries; then
      log "running on $PG_HOST:${rp:-$PG_PORT}, accepting connections (data $PGDATA_DIR)"
      return 0
    fi
    log "process running (port ${rp:-?}) but not accepting connections on $PG_HOST:$PG_PORT (data $PGDATA_DIR)"
    return 3
  fi
  log "not running (data $PGDATA_DIR)"
  return 3
}

url() {
  printf 'postgresql://%s@%s:%s/%s\n' "$PG_SUPERUSER" "$PG_HOST" "$PG_PORT" "${1:-postgres}"
}

cmd_psql() {
  local db=postgres
  if [[ $# -gt 0 && "$1" != -* ]]; then db=$1; shift; fi
  if [[ -x "$PG_BIN/psql" ]]; then
    exec "$PG_BIN/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d "$db" "$@"
  fi
  exec psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d "$db" "$@"
}

usage() {
  awk 'NR == 1 || /^# shellcheck/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) shift; url "${1:-postgres}" ;;
  psql) shift; cmd_psql "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
