#!/usr/bin/env bash
# Project-local Apache Kafka 4.x broker (KRaft, combined broker+controller, single node),
# its jars resolved from Maven Central (scripts/kafka/pom.xml), no tarball.
#
#   scripts/kafka.sh fetch    resolve the broker jars into <repo>/.deps/kafka/lib (skipped when present)
#   scripts/kafka.sh start    format storage once, start in the background, wait until it answers,
#                             create the project topics (idempotent; reuses a running broker)
#   scripts/kafka.sh stop     SIGTERM, wait for a clean exit (SIGKILL after KAFKA_STOP_TIMEOUT)
#   scripts/kafka.sh status   exit 0 when running and answering, 3 otherwise
#   scripts/kafka.sh topics   create missing project topics and list all topics
#
# Environment (defaults):
#   ORDERSTREAM_DATA_DIR   <repo>/.data    broker data/logs in $ORDERSTREAM_DATA_DIR/kafka
#   KAFKA_PORT             9092            PLAINTEXT listener on 127.0.0.1
#   KAFKA_CONTROLLER_PORT  9093            KRaft controller listener on 127.0.0.1
#   KAFKA_START_TIMEOUT    90              seconds to wait until the broker answers
#   KAFKA_STOP_TIMEOUT     60              seconds to wait for a clean exit before SIGKILL
#   KAFKA_HEAP_OPTS        "-Xms256m -Xmx512m"
#   KAFKA_TOPICS           "product_events interaction_events order_events payment_events"   (3 partitions, replication 1)
#   ORDERSTREAM_DEPS_DIR   <repo>/.deps    jars in $ORDERSTREAM_DEPS_DIR/kafka/lib
#   JAVA_HOME              (optional) a Java 17+; otherwise `java` on PATH
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
KAFKA_CONF_DIR="$SCRIPTS_DIR/kafka"
DATA_ROOT="$(realpath -m "${ORDERSTREAM_DATA_DIR:-$REPO_DIR/.data}")"
KDIR="$DATA_ROOT/kafka"
KDATA="$KDIR/data"
KLOGS="$KDIR/logs"
PID_FILE="$KDIR/kafka.pid"
DEPS_ROOT="$(realpath -m "${ORDERSTREAM_DEPS_DIR:-$REPO_DIR/.deps}")"
LIB_DIR="$DEPS_ROOT/kafka/lib"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_TOPICS="${KAFKA_TOPICS:-product_events interaction_events order_events payment_events}"
KAFKA_TOPIC_PARTITIONS=3
# Fixed KRaft cluster id: base64url("OrderStreamLocal"), 16 bytes -> 22 chars.
CLUSTER_ID="T3JkZXJTdHJlYW1Mb2NhbA"
HOST=127.0.0.1
BOOTSTRAP="$HOST:$KAFKA_PORT"

log() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$KAFKA_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
[[ "$KAFKA_CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_CONTROLLER_PORT must be a number, got '$KAFKA_CONTROLLER_PORT'"
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

# ---------------------------------------------------------------- java / jars
# find_java, need_java, read_pid, running_pid, port_busy, stop_service
# shellcheck source=lib/jvm-service.sh
source "$SCRIPTS_DIR/lib/jvm-service.sh"

pom_stamp() { sha256sum "$KAFKA_CONF_DIR/pom.xml" | cut -d' ' -f1; }

jars_present() {
  [[ -f "$LIB_DIR/.fetched" ]] && [[ "$(cat "$LIB_DIR/.fetched")" == "$(pom_stamp)" ]] &&
    compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null
}

kafka_version() {
  local j
  j=$(compgen -G "$LIB_DIR/kafka_2.13-*.jar" | head -1) || return 1
  j=${j##*/kafka_2.13-}; echo "${j%.jar}"
}

# Run a Kafka class with the fetched classpath (tools: small heap, own log file).
TOOL_LOGS="$KLOGS"
run_tool() {
  local logfile=$1; shift
  mkdir -p "$TOOL_LOGS"
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$TOOL_LOGS" -Dkafka.log.file="$logfile" \
    -Dlog4j2.configurationFile="$KAFKA_CONF_DIR/log4j2.properties" \
    -cp "$LIB_DIR/*" "$@"
}

cmd_fetch() {
  need_java
  if jars_present; then
    log "jars present: Kafka $(kafka_version) in $LIB_DIR"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (run scripts/deps.sh or apt-get install maven)"
  mkdir -p "$DEPS_ROOT/kafka"
  exec 8>>"$DEPS_ROOT/kafka/.fetch.lock"
  flock -w 600 8 || die "another fetch holds $DEPS_ROOT/kafka/.fetch.lock"
  if jars_present; then log "jars present: Kafka $(kafka_version) in $LIB_DIR"; return 0; fi
  local tmp="$DEPS_ROOT/kafka/lib.tmp.$$" t0=$SECONDS out
  rm -rf "$tmp"
  log "resolving broker jars from Maven Central ($KAFKA_CONF_DIR/pom.xml)"
  if ! out=$(mvn -q -B -f "$KAFKA_CONF_DIR/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1); then
    rm -rf "$tmp"
    echo "$out" | tail -n 40 >&2
    die "mvn dependency:copy-dependencies failed (is Maven Central reachable?)"
  fi
  # Verify the resolved jars really provide the classes we start.
  local saved_lib=$LIB_DIR cls
  LIB_DIR=$tmp TOOL_LOGS="$DEPS_ROOT/kafka"
  for cls in kafka.Kafka org.apache.kafka.tools.TopicCommand; do
    if ! out=$(run_tool fetch-check.log "$cls" --version 2>&1); then
      LIB_DIR=$saved_lib; rm -rf "$tmp"
      echo "$out" | tail -n 20 >&2
      die "resolved jars cannot run $cls"
    fi
  done
  if ! out=$(run_tool fetch-check.log kafka.tools.StorageTool random-uuid 2>&1); then
    LIB_DIR=$saved_lib; rm -rf "$tmp"
    echo "$out" | tail -n 20 >&2
    die "resolved jars cannot run kafka.tools.StorageTool"
  fi
  LIB_DIR=$saved_lib TOOL_LOGS="$KLOGS"
  pom_stamp >"$tmp/.fetched"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  log "fetched Kafka $(kafka_version): $(find "$LIB_DIR" -maxdepth 1 -name '*.jar' | wc -l) jars, $(du -sh "$LIB_DIR" | cut -f1) in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- process state
# Our broker: a live java process running kafka.Kafka on our config file.
pid_alive() {
  local pid=$1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "kafka.Kafka $KDIR/server.properties"
}

# kcat metadata listing; succeeds when broker 1 answers.
metadata() { timeout 15 kcat -b "$BOOTSTRAP" -L -m 5 2>/dev/null; }
answers() { metadata | grep -q "broker 1 at $HOST:$KAFKA_PORT"; }

log_tail() {
  local f
  for f in "$KLOGS/stdout.log" "$KLOGS/server.log"; do
    [[ -s "$f" ]] || continue
    echo "---- tail of $f ----" >&2
    tail -n 40 "$f" >&2 || true
  done
}

render_config() {
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@KAFKA_DATA_DIR@|$KDATA|g" \
      "$KAFKA_CONF_DIR/server.properties.in" >"$KDIR/server.properties.tmp"
  mv "$KDIR/server.properties.tmp" "$KDIR/server.properties"
}

format_storage() {
  [[ -f "$KDATA/meta.properties" ]] && return 0
  log "formatting storage $KDATA (cluster id $CLUSTER_ID)"
  local out
  if ! out=$(run_tool tools.log kafka.tools.StorageTool format -t "$CLUSTER_ID" \
      -c "$KDIR/server.properties" --ignore-formatted 2>&1); then
    echo "$out" >&2
    die "kafka storage format failed"
  fi
}

ensure_topics() {
  local md t missing=()
  md=$(metadata) || die "cannot read metadata from $BOOTSTRAP"
  for t in $KAFKA_TOPICS; do
    grep -q "topic \"$t\" with" <<<"$md" || missing+=("$t")
  done
  (( ${#missing[@]} )) || return 0
  need_java
  for t in "${missing[@]}"; do
    local out
    if ! out=$(run_tool tools.log org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
        --create --if-not-exists --topic "$t" --partitions "$KAFKA_TOPIC_PARTITIONS" \
        --replication-factor 1 2>&1); then
      echo "$out" >&2
      die "cannot create topic $t"
    fi
  done
  log "created topics: ${missing[*]} ($KAFKA_TOPIC_PARTITIONS partitions, replication 1)"
}

# ---------------------------------------------------------------- commands
cmd_start() {
  command -v kcat >/dev/null 2>&1 || die "kcat not found (run scripts/deps.sh)"
  mkdir -p "$KDIR" "$KDATA" "$KLOGS"
  exec 9>>"$KDIR/.lock"
  flock -w 180 9 || die "another kafka.sh holds $KDIR/.lock"

  local pid
  if pid=$(running_pid); then
    local cur
    cur=$(sed -n 's|^listeners=PLAINTEXT://[^:]*:\([0-9]*\),.*|\1|p' "$KDIR/server.properties" 2>/dev/null || true)
    if [[ -n "$cur" && "$cur" != "$KAFKA_PORT" ]]; then
      die "the broker of $KDIR is already running (pid $pid) on port $cur, not $KAFKA_PORT: stop it first (KAFKA_PORT=$cur $0 stop)"
    fi
    local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
    until answers; do
      pid_alive "$pid" || { log_tail; die "broker (pid $pid) exited while starting"; }
      (( SECONDS < deadline )) || { log_tail; die "broker pid $pid is running but does not answer on $BOOTSTRAP (another port? check KAFKA_PORT)"; }
      sleep 0.5
    done
    log "already running (pid $pid) on $BOOTSTRAP, reusing"
    ensure_topics
    return 0
  fi
  rm -f "$PID_FILE"

  need_java
  jars_present || cmd_fetch
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_busy "$p" && die "port $p on $HOST is in use by another process (not the broker of $KDIR): set KAFKA_PORT / KAFKA_CONTROLLER_PORT or stop it"
  done
  render_config
  format_storage

  log "starting Kafka $(kafka_version) on $BOOTSTRAP (controller :$KAFKA_CONTROLLER_PORT, data $KDATA)"
  local t0=$SECONDS
  # shellcheck disable=SC2086
  setsid "$JAVA" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Xlog:gc*:file="$KLOGS/gc.log":time,tags:filecount=3,filesize=10M \
    -Dkafka.logs.dir="$KLOGS" -Dkafka.log.file=server.log \
    -Dlog4j2.configurationFile="$KAFKA_CONF_DIR/log4j2.properties" \
    -cp "$LIB_DIR/*" kafka.Kafka "$KDIR/server.properties" \
    >>"$KLOGS/stdout.log" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      log_tail
      die "broker exited during start-up (logs in $KLOGS)"
    fi
    if (( SECONDS >= deadline )); then
      log_tail
      die "broker did not answer on $BOOTSTRAP within ${KAFKA_START_TIMEOUT}s (pid $pid still running; logs in $KLOGS)"
    fi
    sleep 0.5
  done
  log "ready after $((SECONDS - t0))s (pid $pid)"
  ensure_topics
}

cmd_stop() { stop_service broker "$KDIR" "$KAFKA_STOP_TIMEOUT"; }

cmd_status() {
  local pid
  if pid=$(running_pid); then
    if answers; then
      log "running (pid $pid) on $BOOTSTRAP, answering (data $KDIR)"
      return 0
    fi
    log "process running (pid $pid) but not answering on $BOOTSTRAP"
    return 3
  fi
  log "not running (data $KDIR)"
  return 3
}

cmd_topics() {
  running_pid >/dev/null || answers || die "broker not running on $BOOTSTRAP (scripts/kafka.sh start)"
  ensure_topics
  metadata | sed -n 's/^ *topic "\([^"]*\)" with \([0-9]*\) partitions.*/\1 \2/p' | grep -v '^__' |
    while read -r t n; do echo "$t ($n partitions)"; done
}

usage() { awk 'NR == 1 || /^# shellcheck/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  topics) cmd_topics ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
