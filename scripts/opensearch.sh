#!/usr/bin/env bash
# Project-local OpenSearch 2.x node (single node, HTTP on 127.0.0.1), its jars resolved from
# Maven Central (scripts/opensearch/pom.xml), no tarball: the product service's optional
# search backend (ELASTICSEARCH_URL) and its tests run against it.
#
#   scripts/opensearch.sh fetch    resolve the node jars into <repo>/.deps/opensearch/lib and compile
#                                  the launcher (scripts/opensearch/OrderStreamSearchNode.java); skipped when present
#   scripts/opensearch.sh start    start in the background and wait until the cluster is green/yellow
#                                  (reuses a running node of the same data dir)
#   scripts/opensearch.sh stop     SIGTERM, wait for a clean exit (SIGKILL after OPENSEARCH_STOP_TIMEOUT)
#   scripts/opensearch.sh status   exit 0 when running and answering, 3 otherwise
#
# Environment (defaults):
#   ORDERSTREAM_DATA_DIR         <repo>/.data    node data/logs in $ORDERSTREAM_DATA_DIR/opensearch
#   OPENSEARCH_PORT              9200            HTTP (REST) on 127.0.0.1
#   OPENSEARCH_TRANSPORT_PORT    9300            node-to-node transport on 127.0.0.1
#   OPENSEARCH_START_TIMEOUT     120             seconds to wait until the node answers
#   OPENSEARCH_STOP_TIMEOUT      60              seconds to wait for a clean exit before SIGKILL
#   OPENSEARCH_HEAP_OPTS         "-Xms512m -Xmx512m"
#   ORDERSTREAM_DEPS_DIR         <repo>/.deps    jars in $ORDERSTREAM_DEPS_DIR/opensearch/lib
#   JAVA_HOME                    (optional) a Java 17+; otherwise `java` on PATH
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
OS_CONF_DIR="$SCRIPTS_DIR/opensearch"
DATA_ROOT="$(realpath -m "${ORDERSTREAM_DATA_DIR:-$REPO_DIR/.data}")"
ODIR="$DATA_ROOT/opensearch"
ODATA="$ODIR/data"
OLOGS="$ODIR/logs"
OCONF="$ODIR/config"
PID_FILE="$ODIR/opensearch.pid"
DEPS_ROOT="$(realpath -m "${ORDERSTREAM_DEPS_DIR:-$REPO_DIR/.deps}")"
LIB_DIR="$DEPS_ROOT/opensearch/lib"
CLASSES_DIR="$DEPS_ROOT/opensearch/classes"
OPENSEARCH_PORT="${OPENSEARCH_PORT:-9200}"
OPENSEARCH_TRANSPORT_PORT="${OPENSEARCH_TRANSPORT_PORT:-9300}"
OPENSEARCH_START_TIMEOUT="${OPENSEARCH_START_TIMEOUT:-120}"
OPENSEARCH_STOP_TIMEOUT="${OPENSEARCH_STOP_TIMEOUT:-60}"
OPENSEARCH_HEAP_OPTS="${OPENSEARCH_HEAP_OPTS:--Xms512m -Xmx512m}"
LAUNCHER=OrderStreamSearchNode
HOST=127.0.0.1
BASE_URL="http://$HOST:$OPENSEARCH_PORT"

log() { printf 'opensearch: %s\n' "$*"; }
die() { printf 'opensearch: ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$OPENSEARCH_PORT" =~ ^[0-9]+$ ]] || die "OPENSEARCH_PORT must be a number, got '$OPENSEARCH_PORT'"
[[ "$OPENSEARCH_TRANSPORT_PORT" =~ ^[0-9]+$ ]] ||
  die "OPENSEARCH_TRANSPORT_PORT must be a number, got '$OPENSEARCH_TRANSPORT_PORT'"
[[ "$OPENSEARCH_PORT" != "$OPENSEARCH_TRANSPORT_PORT" ]] || die "OPENSEARCH_PORT and OPENSEARCH_TRANSPORT_PORT must differ"

# ---------------------------------------------------------------- java / jars
# find_java, need_java, read_pid, running_pid, port_busy, stop_service
# shellcheck source=lib/jvm-service.sh
source "$SCRIPTS_DIR/lib/jvm-service.sh"

inputs_stamp() { cat "$OS_CONF_DIR/pom.xml" "$OS_CONF_DIR/$LAUNCHER.java" | sha256sum | cut -d' ' -f1; }

jars_present() {
  [[ -f "$LIB_DIR/.fetched" ]] && [[ "$(cat "$LIB_DIR/.fetched")" == "$(inputs_stamp)" ]] &&
    compgen -G "$LIB_DIR/opensearch-2.*.jar" >/dev/null && [[ -f "$CLASSES_DIR/$LAUNCHER.class" ]]
}

opensearch_version() {
  local j
  j=$(compgen -G "$LIB_DIR/opensearch-[0-9]*.jar" | head -1) || return 1
  j=${j##*/opensearch-}; echo "${j%.jar}"
}

# javac through the runtime's jdk.compiler module: a JRE-only machine (openjdk-17-jre-headless)
# has the module but no javac binary.
compile_launcher() {
  local lib=$1 out=$2 cp
  mkdir -p "$out"
  # javac does not expand "dir/*" class paths (only the java launcher does).
  cp=$(find "$lib" -maxdepth 1 -name '*.jar' | sort | paste -sd:)
  "$JAVA" -m jdk.compiler/com.sun.tools.javac.Main -nowarn -d "$out" -cp "$cp" "$OS_CONF_DIR/$LAUNCHER.java"
}

cmd_fetch() {
  need_java
  if jars_present; then
    log "jars present: OpenSearch $(opensearch_version) in $LIB_DIR"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (run scripts/deps.sh or apt-get install maven)"
  mkdir -p "$DEPS_ROOT/opensearch"
  exec 8>>"$DEPS_ROOT/opensearch/.fetch.lock"
  flock -w 600 8 || die "another fetch holds $DEPS_ROOT/opensearch/.fetch.lock"
  if jars_present; then log "jars present: OpenSearch $(opensearch_version) in $LIB_DIR"; return 0; fi
  local tmp="$DEPS_ROOT/opensearch/lib.tmp.$$" tmp_classes="$DEPS_ROOT/opensearch/classes.tmp.$$" t0=$SECONDS out
  rm -rf "$tmp" "$tmp_classes"
  log "resolving node jars from Maven Central ($OS_CONF_DIR/pom.xml)"
  if ! out=$(mvn -q -B -f "$OS_CONF_DIR/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1); then
    rm -rf "$tmp"
    echo "$out" | tail -n 40 >&2
    die "mvn dependency:copy-dependencies failed (is Maven Central reachable?)"
  fi
  # Compiling against the resolved jars also proves they provide the classes we start.
  if ! out=$(compile_launcher "$tmp" "$tmp_classes" 2>&1); then
    rm -rf "$tmp" "$tmp_classes"
    echo "$out" | tail -n 20 >&2
    die "cannot compile $LAUNCHER.java against the resolved jars"
  fi
  inputs_stamp >"$tmp/.fetched"
  rm -rf "$LIB_DIR" "$CLASSES_DIR"
  mv "$tmp_classes" "$CLASSES_DIR"
  mv "$tmp" "$LIB_DIR"
  log "fetched OpenSearch $(opensearch_version): $(find "$LIB_DIR" -maxdepth 1 -name '*.jar' | wc -l) jars, $(du -sh "$LIB_DIR" | cut -f1) in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- process state
# Our node: a live java process running the launcher on our config dir.
pid_alive() {
  local pid=$1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$LAUNCHER $ODIR $OCONF"
}

# The cluster answers and its primaries are allocated (yellow is fine: one node, no replicas).
answers() {
  curl -fsS -m 5 "$BASE_URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null |
    grep -Eq '"status":"(green|yellow)"'
}

log_tail() {
  local f="$OLOGS/stdout.log"
  [[ -s "$f" ]] || return 0
  echo "---- tail of $f ----" >&2
  tail -n 40 "$f" >&2 || true
}

render_config() {
  mkdir -p "$OCONF"
  sed -e "s|@HTTP_PORT@|$OPENSEARCH_PORT|g" \
      -e "s|@TRANSPORT_PORT@|$OPENSEARCH_TRANSPORT_PORT|g" \
      -e "s|@DATA_DIR@|$ODATA|g" \
      -e "s|@LOGS_DIR@|$OLOGS|g" \
      "$OS_CONF_DIR/opensearch.yml.in" >"$OCONF/opensearch.yml.tmp"
  mv "$OCONF/opensearch.yml.tmp" "$OCONF/opensearch.yml"
  cp "$OS_CONF_DIR/log4j2.properties" "$OCONF/log4j2.properties"
}

# ---------------------------------------------------------------- commands
cmd_start() {
  command -v curl >/dev/null 2>&1 || die "curl not found"
  mkdir -p "$ODIR" "$ODATA" "$OLOGS"
  exec 9>>"$ODIR/.lock"
  flock -w 180 9 || die "another opensearch.sh holds $ODIR/.lock"

  local pid
  if pid=$(running_pid); then
    local cur
    cur=$(sed -n 's|^http.port: *\([0-9]*\)|\1|p' "$OCONF/opensearch.yml" 2>/dev/null || true)
    if [[ -n "$cur" && "$cur" != "$OPENSEARCH_PORT" ]]; then
      die "the node of $ODIR is already running (pid $pid) on port $cur, not $OPENSEARCH_PORT: stop it first (OPENSEARCH_PORT=$cur $0 stop)"
    fi
    local deadline=$((SECONDS + OPENSEARCH_START_TIMEOUT))
    until answers; do
      pid_alive "$pid" || { log_tail; die "node (pid $pid) exited while starting"; }
      (( SECONDS < deadline )) || { log_tail; die "node pid $pid is running but does not answer on $BASE_URL"; }
      sleep 0.5
    done
    log "already running (pid $pid) on $BASE_URL, reusing"
    return 0
  fi
  rm -f "$PID_FILE"

  need_java
  jars_present || cmd_fetch
  for p in "$OPENSEARCH_PORT" "$OPENSEARCH_TRANSPORT_PORT"; do
    port_busy "$p" && die "port $p on $HOST is in use by another process (not the node of $ODIR): set OPENSEARCH_PORT / OPENSEARCH_TRANSPORT_PORT or stop it"
  done
  render_config
  mkdir -p "$ODIR/tmp"

  log "starting OpenSearch $(opensearch_version) on $BASE_URL (transport :$OPENSEARCH_TRANSPORT_PORT, data $ODATA)"
  local t0=$SECONDS
  # The JVM flags of OpenSearch's own jvm.options that matter for a small node.
  # shellcheck disable=SC2086
  setsid "$JAVA" $OPENSEARCH_HEAP_OPTS -server -XX:+UseG1GC -XX:G1ReservePercent=25 \
    -XX:InitiatingHeapOccupancyPercent=30 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dfile.encoding=UTF-8 -Djna.nosys=true -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -Djava.io.tmpdir="$ODIR/tmp" -Dopensearch.path.home="$ODIR" \
    -Xlog:gc*:file="$OLOGS/gc.log":time,tags:filecount=3,filesize=10M \
    -cp "$LIB_DIR/*:$CLASSES_DIR" "$LAUNCHER" "$ODIR" "$OCONF" \
    >>"$OLOGS/stdout.log" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  local deadline=$((SECONDS + OPENSEARCH_START_TIMEOUT))
  until answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      log_tail
      die "node exited during start-up (logs in $OLOGS)"
    fi
    if (( SECONDS >= deadline )); then
      log_tail
      die "node did not answer on $BASE_URL within ${OPENSEARCH_START_TIMEOUT}s (pid $pid still running; logs in $OLOGS)"
    fi
    sleep 0.5
  done
  log "ready after $((SECONDS - t0))s (pid $pid)"
}

cmd_stop() { stop_service node "$ODIR" "$OPENSEARCH_STOP_TIMEOUT"; }

cmd_status() {
  local pid
  if pid=$(running_pid); then
    if answers; then
      log "running (pid $pid) on $BASE_URL, answering (data $ODIR)"
      return 0
    fi
    log "process running (pid $pid) but not answering on $BASE_URL"
    return 3
  fi
  log "not running (data $ODIR)"
  return 3
}

usage() { awk 'NR == 1 || /^# shellcheck/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
