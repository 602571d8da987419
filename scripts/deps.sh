#!/usr/bin/env bash
# Install whatever OrderStream needs on a Debian 12 machine; fast when all is present.
#   1. Debian packages (dpkg-query first; apt-get update + install only when something is missing)
#   2. Kafka broker jars from Maven Central (scripts/kafka.sh fetch), and the OpenSearch node's
#      jars for the search engine backend's tests (scripts/opensearch.sh fetch)
#   3. npm ci in every tests/**/ and tools/**/ folder with a package-lock.json
#      (only when node_modules is missing or older than the lock)
#   4. a Python venv with scikit-surprise in .deps/surprise-venv (the recommender's
#      side-by-side test and benchmark compare our SVD with it)
#   5. grpcurl (pinned) built with `go install` from the Go module proxy into .deps/bin
#      (the end-to-end test runs the README's grpcurl calls with it)
# Environment: DEPS_SKIP_APT=1, DEPS_SKIP_KAFKA=1, DEPS_SKIP_OPENSEARCH=1, DEPS_SKIP_NPM=1, DEPS_SKIP_PYTHON=1,
#   DEPS_SKIP_GRPCURL=1 skip a step;
#   DEPS_EXTRA_PACKAGES="a b" adds Debian packages to the list.
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librdkafka-dev libpqxx-dev libsodium-dev libjwt-dev
  libboost-dev libboost-system-dev libspdlog-dev libfmt-dev rapidjson-dev
  libcurl4-openssl-dev libssl-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-venv python3-dev python3-yaml yamllint
  postgresql-15 postgresql-contrib kcat
)
# shellcheck disable=SC2206  # word splitting intended
PACKAGES+=(${DEPS_EXTRA_PACKAGES:-})

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: ERROR: %s\n' "$*" >&2; exit 1; }
trap 'die "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii"* ]]
}

# find_java (a Java 17+ from JAVA_HOME, PATH or /usr/lib/jvm), shared with kafka.sh and opensearch.sh.
# shellcheck source=lib/jvm-service.sh
source "$SCRIPTS_DIR/lib/jvm-service.sh"
have_java17() { find_java >/dev/null; }

# ---------------------------------------------------------------- 1. Debian packages
step_apt() {
  command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script targets Debian 12"
  local missing=() p
  for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
  have_java17 || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if ! command -v node >/dev/null 2>&1; then
    missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
  fi
  if (( ${#missing[@]} == 0 )); then
    log "apt: all ${#PACKAGES[@]} packages present, Java 17+, maven, node: ok"
    return 0
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "missing packages (${missing[*]}) and not root: run as root or install them"
    sudo=(sudo -E)
  fi
  local aptlog; aptlog=$(mktemp /tmp/orderstream-apt.XXXXXX.log)
  log "apt: installing ${#missing[@]} missing: ${missing[*]}"
  local t0=$SECONDS
  if ! "${sudo[@]}" apt-get update -q >"$aptlog" 2>&1; then
    tail -n 30 "$aptlog" >&2
    die "apt-get update failed (log: $aptlog)"
  fi
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1; then
    tail -n 30 "$aptlog" >&2
    die "apt-get install failed (log: $aptlog)"
  fi
  for p in "${missing[@]}"; do
    installed "$p" || die "package $p still not installed after apt-get (log: $aptlog)"
  done
  rm -f "$aptlog"
  log "apt: installed in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- 2. Kafka jars
step_kafka() {
  local out
  if ! out=$("$SCRIPTS_DIR/kafka.sh" fetch 2>&1); then
    echo "$out" >&2
    die "Kafka jars: scripts/kafka.sh fetch failed"
  fi
  log "$(tail -n 1 <<<"$out")"
}

# ---------------------------------------------------------------- 2b. OpenSearch jars
step_opensearch() {
  local out
  if ! out=$("$SCRIPTS_DIR/opensearch.sh" fetch 2>&1); then
    echo "$out" >&2
    die "OpenSearch jars: scripts/opensearch.sh fetch failed"
  fi
  log "$(tail -n 1 <<<"$out")"
}

# ---------------------------------------------------------------- 3. npm
step_npm() {
  local dirs=() d lock
  for d in tests tools; do
    [[ -d "$REPO_DIR/$d" ]] || continue
    while IFS= read -r -d '' lock; do dirs+=("$(dirname "$lock")"); done < <(
      find "$REPO_DIR/$d" -name node_modules -prune -o -name package-lock.json -type f -print0 | sort -z)
  done
  if (( ${#dirs[@]} == 0 )); then
    log "npm: no package-lock.json under tests/ or tools/"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm not found (apt-get install npm)"
  local done_=0 fresh=0
  for d in "${dirs[@]}"; do
    local rel=${d#"$REPO_DIR"/}
    if [[ -d "$d/node_modules" && ! "$d/package-lock.json" -nt "$d/node_modules" ]]; then
      fresh=$((fresh + 1))
      continue
    fi
    local out
    if ! out=$(cd "$d" && npm ci --no-audit --no-fund --loglevel=error 2>&1); then
      echo "$out" | tail -n 30 >&2
      die "npm ci failed in $rel"
    fi
    touch "$d/node_modules"
    done_=$((done_ + 1))
    log "npm: ci in $rel"
  done
  log "npm: ${#dirs[@]} folder(s): $done_ installed, $fresh up to date"
}

# ---------------------------------------------------------------- 4. Python (scikit-surprise)
SURPRISE_VENV="$REPO_DIR/.deps/surprise-venv"
SURPRISE_PACKAGES=(scikit-surprise==1.1.5 numpy==2.4.6)
step_python() {
  if "$SURPRISE_VENV/bin/python" -c 'import surprise, numpy' >/dev/null 2>&1; then
    log "python: scikit-surprise venv ok"
    return 0
  fi
  # Debian's interpreter (python3-venv), not whatever a version manager puts first on PATH.
  local python=/usr/bin/python3
  [[ -x "$python" ]] || python=$(command -v python3) || die "python3 not found (apt-get install python3-venv)"
  local out
  rm -rf "$SURPRISE_VENV"
  if ! out=$("$python" -m venv "$SURPRISE_VENV" 2>&1); then
    echo "$out" >&2
    die "python: cannot create $SURPRISE_VENV (apt-get install python3-venv)"
  fi
  if ! out=$("$SURPRISE_VENV/bin/pip" install --disable-pip-version-check -q "${SURPRISE_PACKAGES[@]}" 2>&1); then
    echo "$out" | tail -n 30 >&2
    die "python: pip install ${SURPRISE_PACKAGES[*]} failed"
  fi
  log "python: installed ${SURPRISE_PACKAGES[*]} into .deps/surprise-venv"
}

# ---------------------------------------------------------------- 5. grpcurl
GRPCURL_MODULE=github.com/fullstorydev/grpcurl/cmd/grpcurl
GRPCURL_VERSION=v1.9.3
step_grpcurl() {
  local bin="$REPO_DIR/.deps/bin/grpcurl" stamp="$REPO_DIR/.deps/bin/grpcurl.version"
  if [[ -x "$bin" && "$(cat "$stamp" 2>/dev/null)" == "$GRPCURL_VERSION" ]]; then
    log "grpcurl: $GRPCURL_VERSION ok"
    return 0
  fi
  local go
  go=$(command -v go 2>/dev/null) || go=/usr/local/go/bin/go
  [[ -x "$go" ]] || die "grpcurl: the go command is not on PATH nor in /usr/local/go/bin"
  local out t0=$SECONDS
  # GOPROXY/GOSUMDB/GOFLAGS stay whatever this machine's go env says.
  if ! out=$(GOBIN="$REPO_DIR/.deps/bin" "$go" install "$GRPCURL_MODULE@$GRPCURL_VERSION" 2>&1); then
    echo "$out" | tail -n 30 >&2
    die "grpcurl: go install $GRPCURL_MODULE@$GRPCURL_VERSION failed"
  fi
  echo "$GRPCURL_VERSION" >"$stamp"
  log "grpcurl: installed $GRPCURL_VERSION into .deps/bin in $((SECONDS - t0))s"
}

t0=$SECONDS
if [[ "${DEPS_SKIP_APT:-0}" != 1 ]]; then step_apt; fi
if [[ "${DEPS_SKIP_KAFKA:-0}" != 1 ]]; then step_kafka; fi
if [[ "${DEPS_SKIP_OPENSEARCH:-0}" != 1 ]]; then step_opensearch; fi
if [[ "${DEPS_SKIP_NPM:-0}" != 1 ]]; then step_npm; fi
if [[ "${DEPS_SKIP_PYTHON:-0}" != 1 ]]; then step_python; fi
if [[ "${DEPS_SKIP_GRPCURL:-0}" != 1 ]]; then step_grpcurl; fi
log "done in $((SECONDS - t0))s"
