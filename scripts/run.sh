#!/usr/bin/env bash
# Runs the local platform: PostgreSQL and Kafka (project-local, in .data), then every role
# through `orderstream up`. Ctrl-C stops the roles first, then Kafka, then PostgreSQL.
#   scripts/run.sh path/to/orderstream
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
BINARY="${1:?usage: scripts/run.sh path/to/orderstream}"
cd "$REPO_DIR"
export ORDERSTREAM_DATA_DIR="${ORDERSTREAM_DATA_DIR:-$REPO_DIR/.data}"
export PG_PORT="${PG_PORT:-55432}"
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}"

stop_infra() {
  trap - EXIT INT TERM
  echo "run: stopping Kafka and PostgreSQL"
  "$SCRIPTS_DIR/kafka.sh" stop || true
  "$SCRIPTS_DIR/pg.sh" stop || true
}

"$SCRIPTS_DIR/pg.sh" start
"$SCRIPTS_DIR/kafka.sh" start
trap stop_infra EXIT
# The roles get Ctrl-C from the terminal too; `orderstream up` stops them in order and returns.
trap ':' INT TERM
"$BINARY" up &
wait $! || true
wait $! 2>/dev/null || true
