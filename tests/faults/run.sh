#!/usr/bin/env bash
# The platform under faults (registered in CTest as `faults`, label integration): two instances
# of every role under a shop's traffic, kill -9 of one instance of each role, a PostgreSQL and a
# Kafka restart, then the money and events invariants (see faults.py).
#
#   scripts/with-infra.sh tests/faults/run.sh path/to/orderstream
#
# Needs the test PostgreSQL and Kafka of scripts/with-infra.sh (it restarts both through
# ORDERSTREAM_SCRIPTS_DIR), kcat and psql. FAULTS_PORT_BASE (29400) moves the ports;
# FAULTS_KEEP=1 keeps the logs also when the test passes.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
BINARY="${1:?usage: tests/faults/run.sh path/to/orderstream}"

fail() { printf 'faults: FAILED: %s\n' "$*" >&2; exit 1; }

[[ -x "$BINARY" ]] || fail "orderstream binary not found at $BINARY (build first)"
[[ -n "${ORDERSTREAM_TEST_PG_URL:-}" && -n "${ORDERSTREAM_TEST_KAFKA:-}" && -n "${ORDERSTREAM_SCRIPTS_DIR:-}" ]] ||
  fail "run through scripts/with-infra.sh (make test): it provides PostgreSQL and Kafka"
for tool in kcat psql; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/lib/postgresql/15/bin/$tool ]] ||
    fail "$tool not found (scripts/deps.sh installs it)"
done

PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || PYTHON=$(command -v python3) || fail "python3 not found"
exec "$PYTHON" -u "$HERE/faults.py" --binary "$BINARY"
