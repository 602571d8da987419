#!/usr/bin/env bash
# End-to-end test of the whole platform (registered in CTest as `e2e`, label integration).
#
#   scripts/with-infra.sh tests/e2e/run.sh path/to/orderstream
#
# Needs the test PostgreSQL and Kafka that scripts/with-infra.sh provides
# (ORDERSTREAM_TEST_PG_URL, ORDERSTREAM_TEST_KAFKA) and grpcurl in .deps/bin (scripts/deps.sh
# installs it; installed here when missing). E2E_PORT_BASE (29000: below the ephemeral port range, where the
# other tests' free ports come from) moves the platform's ports;
# E2E_KEEP=1 keeps the data folder (logs) also when the test passes.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(cd "$HERE/../.." && pwd -P)"
BINARY="${1:?usage: tests/e2e/run.sh path/to/orderstream}"

fail() { printf 'e2e: FAILED: %s\n' "$*" >&2; exit 1; }

[[ -x "$BINARY" ]] || fail "orderstream binary not found at $BINARY (build first)"
[[ -n "${ORDERSTREAM_TEST_PG_URL:-}" && -n "${ORDERSTREAM_TEST_KAFKA:-}" ]] ||
  fail "ORDERSTREAM_TEST_PG_URL / ORDERSTREAM_TEST_KAFKA are not set: run through scripts/with-infra.sh (make test)"

GRPCURL="$REPO_DIR/.deps/bin/grpcurl"
if [[ ! -x "$GRPCURL" ]]; then
  printf 'e2e: grpcurl missing, installing it (scripts/deps.sh, grpcurl step only)\n' >&2
  DEPS_SKIP_APT=1 DEPS_SKIP_KAFKA=1 DEPS_SKIP_OPENSEARCH=1 DEPS_SKIP_NPM=1 DEPS_SKIP_PYTHON=1 \
    "$REPO_DIR/scripts/deps.sh" >&2 ||
    fail "could not install grpcurl"
fi
for tool in kcat psql java; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/lib/postgresql/15/bin/$tool ]] ||
    fail "$tool not found (scripts/deps.sh installs it)"
done

# Debian's interpreter when present: the test uses the standard library only.
PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || PYTHON=$(command -v python3) || fail "python3 not found"
exec "$PYTHON" -u "$HERE/e2e.py" --binary "$BINARY" --grpcurl "$GRPCURL" --repo "$REPO_DIR"
