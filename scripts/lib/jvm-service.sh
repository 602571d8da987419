# shellcheck shell=bash
# Shared by kafka.sh and opensearch.sh: finding a Java 17+, and the life cycle of one JVM
# process recorded in a pid file. The sourcing script defines log, die, PID_FILE and
# pid_alive PID (true when PID is its own live process, not just any process).

# The first Java 17+ of JAVA_HOME, PATH and /usr/lib/jvm.
find_java() {
  local cands=() c v
  [[ -n "${JAVA_HOME:-}" ]] && cands+=("$JAVA_HOME/bin/java")
  c=$(command -v java 2>/dev/null) && cands+=("$c")
  for c in /usr/lib/jvm/*/bin/java; do [[ -x "$c" ]] && cands+=("$c"); done
  for c in "${cands[@]}"; do
    [[ -x "$c" ]] || continue
    v=$("$c" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 17 )); then echo "$c"; return 0; fi
  done
  return 1
}

JAVA=""
need_java() {
  [[ -n "$JAVA" ]] && return 0
  JAVA=$(find_java) || die "no Java 17+ found (set JAVA_HOME or run scripts/deps.sh)"
}

read_pid() { [[ -f "$PID_FILE" ]] && tr -dc '0-9' <"$PID_FILE"; }

running_pid() {
  local pid; pid=$(read_pid) || return 1
  pid_alive "$pid" && echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# stop_service WHAT DATA_DIR TIMEOUT: SIGTERM, wait up to TIMEOUT seconds for the clean exit,
# then SIGKILL. Idempotent.
stop_service() {
  local what=$1 data=$2 timeout=$3 pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    log "not running (data $data)"
    return 0
  fi
  log "stopping $what (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      log "no clean exit within ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  log "stopped"
}
