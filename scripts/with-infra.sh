#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup/on_exit are run from traps
# Run a command against a separate test PostgreSQL and Kafka, then stop them.
#
#   scripts/with-infra.sh CMD [ARGS...]
#
# Test infrastructure lives in <repo>/.data-test on its own ports, so a running
# development platform (`make run`, .data, 55432/9092) is not disturbed.
# Exported for CMD:
#   ORDERSTREAM_TEST_PG_URL      postgresql://orderstream@127.0.0.1:55433/postgres
#   ORDERSTREAM_TEST_PG_PORT     55433
#   ORDERSTREAM_TEST_KAFKA       127.0.0.1:19092
#   ORDERSTREAM_TEST_KAFKA_PORT  19092
#   ORDERSTREAM_SCRIPTS_DIR      absolute path of scripts/ (tests may run
#                                "$ORDERSTREAM_SCRIPTS_DIR/kafka.sh" stop|start mid-test)
#   ORDERSTREAM_DATA_DIR, PG_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT  (so pg.sh/kafka.sh
#                                called by CMD address the test instances)
# Inputs (defaults): ORDERSTREAM_TEST_DATA_DIR (<repo>/.data-test), ORDERSTREAM_TEST_PG_PORT
# (55433), ORDERSTREAM_TEST_KAFKA_PORT (19092), ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT (19093),
# ORDERSTREAM_KEEP_INFRA=1 leaves the instances running afterwards.
# The search engine tests start and stop their own OpenSearch node (scripts/opensearch.sh, data
# in the same dir) on ORDERSTREAM_TEST_OPENSEARCH_PORT / ORDERSTREAM_TEST_OPENSEARCH_TRANSPORT_PORT
# (19200 / 19300, exported); a node such a test left behind (a crash) is stopped on exit.
# Instances that were already running are reused and left running; those started here
# are stopped on exit (also on failure, Ctrl-C or SIGTERM). Exits with CMD's exit code.
set -Euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"

if [[ $# -eq 0 ]]; then
  awk 'NR == 1 || /^# shellcheck/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2
  exit 2
fi

export ORDERSTREAM_DATA_DIR
ORDERSTREAM_DATA_DIR="$(realpath -m "${ORDERSTREAM_TEST_DATA_DIR:-$REPO_DIR/.data-test}")"
export PG_PORT="${ORDERSTREAM_TEST_PG_PORT:-55433}"
export KAFKA_PORT="${ORDERSTREAM_TEST_KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT:-19093}"
export ORDERSTREAM_TEST_PG_PORT="$PG_PORT"
export ORDERSTREAM_TEST_KAFKA_PORT="$KAFKA_PORT"
export ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT="$KAFKA_CONTROLLER_PORT"
export ORDERSTREAM_TEST_PG_URL="postgresql://orderstream@127.0.0.1:$PG_PORT/postgres"
export ORDERSTREAM_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
export ORDERSTREAM_SCRIPTS_DIR="$SCRIPTS_DIR"
export ORDERSTREAM_TEST_OPENSEARCH_PORT="${ORDERSTREAM_TEST_OPENSEARCH_PORT:-19200}"
export ORDERSTREAM_TEST_OPENSEARCH_TRANSPORT_PORT="${ORDERSTREAM_TEST_OPENSEARCH_TRANSPORT_PORT:-19300}"

log() { printf 'with-infra: %s\n' "$*" >&2; }

started_pg=0
started_kafka=0
cleaned=0
opensearch_before=1  # until checked below: never stop a node that was not ours
cleanup() {
  (( cleaned )) && return 0
  cleaned=1
  trap '' INT TERM HUP
  if [[ "${ORDERSTREAM_KEEP_INFRA:-0}" == 1 ]]; then
    log "ORDERSTREAM_KEEP_INFRA=1: leaving test PostgreSQL and Kafka running"
    return 0
  fi
  if (( ! opensearch_before )); then "$SCRIPTS_DIR/opensearch.sh" stop >/dev/null 2>&1 || true; fi
  # The broker is stopped if we started it, even when CMD stopped/restarted it meanwhile.
  if (( started_kafka )); then "$SCRIPTS_DIR/kafka.sh" stop >&2 || log "kafka stop failed"; fi
  if (( started_pg )); then "$SCRIPTS_DIR/pg.sh" stop >&2 || log "postgres stop failed"; fi
}
on_exit() {
  local rc=$?
  cleanup
  exit "$rc"
}
trap on_exit EXIT
# Until CMD runs, a signal just ends us (EXIT then stops what was started).
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

log "test infra in $ORDERSTREAM_DATA_DIR (PostgreSQL :$PG_PORT, Kafka :$KAFKA_PORT/:$KAFKA_CONTROLLER_PORT)"

if "$SCRIPTS_DIR/pg.sh" status >/dev/null 2>&1; then
  log "PostgreSQL already running, reusing (left running afterwards)"
else
  started_pg=1
  "$SCRIPTS_DIR/pg.sh" start >&2 || { log "could not start PostgreSQL"; exit 1; }
fi
# Makes sure the service databases exist even on a reused instance.
if (( ! started_pg )); then "$SCRIPTS_DIR/pg.sh" start >/dev/null || { log "PostgreSQL not usable"; exit 1; }; fi

if "$SCRIPTS_DIR/kafka.sh" status >/dev/null 2>&1; then
  log "Kafka already running, reusing (left running afterwards)"
  "$SCRIPTS_DIR/kafka.sh" start >/dev/null || { log "Kafka not usable"; exit 1; }
else
  started_kafka=1
  "$SCRIPTS_DIR/kafka.sh" start >&2 || { log "could not start Kafka"; exit 1; }
fi

OPENSEARCH_PORT="$ORDERSTREAM_TEST_OPENSEARCH_PORT" "$SCRIPTS_DIR/opensearch.sh" status >/dev/null 2>&1 ||
  opensearch_before=0

log "running: $*"
# CMD runs as our child in our process group (a terminal's Ctrl-C reaches it directly),
# with our stdin and default signal dispositions. SIGTERM/SIGHUP sent to this script
# alone are forwarded to it; once it has exited, EXIT stops the infrastructure.
exec 3<&0
( trap - INT QUIT TERM HUP; exec "$@" <&3 3<&- ) &
child=$!
exec 3<&-
trap 'kill -TERM "$child" 2>/dev/null || true' TERM
trap 'kill -HUP "$child" 2>/dev/null || true' HUP
trap ':' INT   # the child got the same SIGINT from the terminal; wait for it
rc=0
while :; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break
done
log "command exited with $rc"
exit "$rc"
