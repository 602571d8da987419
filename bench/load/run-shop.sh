#!/usr/bin/env bash
# A shop's traffic mix through the gateway (shop_load): every role, PostgreSQL and Kafka on this
# machine, a catalog created through the API, a warm-up, then RUNS runs of DURATION seconds at
# each number of virtual users in LEVELS (closed loop), optionally open-loop runs at RATES, and
# the medians per level with the platform's CPU and RSS.
#   bench/load/run-shop.sh [BUILD_DIR]
# env (defaults): LEVELS="4 16 64" RUNS=3 DURATION=20 WARMUP=5 THINK_MS=0 RATES=150 PRODUCTS=3000
#   MIX=browse=10,search=5,view=5,recommend=2,order=1,checkout=1 PAY=yes BASE_PORT=2460
#   RESULTS=<file for the JSON lines> (a temporary file by default)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
HERE="$REPO_DIR/bench/load"
SHOP_LOAD="$BUILD_DIR/bench/load/shop_load"
[[ -x "$SHOP_LOAD" && -x "$BIN" ]] || {
  echo "run-shop: build first: ninja -C $BUILD_DIR orderstream shop_load" >&2
  exit 1
}
LEVELS="${LEVELS:-4 16 64}"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-5}"
THINK_MS="${THINK_MS:-0}"
RATES="${RATES-150}"  # RATES= (empty) skips the open-loop runs
PRODUCTS="${PRODUCTS:-3000}"
MIX="${MIX:-browse=10,search=5,view=5,recommend=2,order=1,checkout=1}"
PAY="${PAY:-yes}"
RESULTS="${RESULTS:-$(mktemp -t shop-load-XXXXXX.jsonl)}"

# bench-env.sh's start_platform writes "role pid" lines here; shop_load measures those processes.
export PLATFORM_PIDS_FILE="$ORDERSTREAM_DATA_DIR/platform.pids"
: >"$PLATFORM_PIDS_FILE"
start_platform "${BASE_PORT:-2460}"
# The infrastructure is measured too: PostgreSQL with its backends, the Kafka broker.
infra=()
pg_pid=$(sed -n 1p "$ORDERSTREAM_DATA_DIR/postgres/postmaster.pid" 2>/dev/null | tr -dc 0-9 || true)
kafka_pid=$(tr -dc 0-9 <"$ORDERSTREAM_DATA_DIR/kafka/kafka.pid" 2>/dev/null || true)
[[ -n "$pg_pid" ]] && infra+=(--process-tree "postgres=$pg_pid")
[[ -n "$kafka_pid" ]] && infra+=(--process "kafka=$kafka_pid")
max_users=$(tr ' ' '\n' <<<"$LEVELS" | sort -n | tail -1)

shop_load() {
  "$SHOP_LOAD" --gateway "$GATEWAY" --mix "$MIX" --pay "$PAY" --pids-file "$PLATFORM_PIDS_FILE" "${infra[@]}" "$@"
}

echo "run-shop: load $(cut -d' ' -f1-3 /proc/loadavg) before set-up; gateway $GATEWAY; results in $RESULTS"
# Set-up and warm-up: the catalog (through createProduct, so products reach the payment mirror
# and the recommender over Kafka), every account, caches, the recommender's first models.
shop_load --seed-products "$PRODUCTS" --users "$max_users" --duration 20 --warmup 0 --setup-concurrency 4 \
  --label warmup --max-error-percent 100 | grep -v '^{'
sleep 3

# Disk stalls shared with everything else on the machine (durable commits wait on them).
io_pressure() {
  [[ -r /proc/pressure/io ]] && awk '/^full/ { sub("avg60=", "", $3); printf ", io full-stall %s%% of the last minute", $3 }' /proc/pressure/io
}

run_level() {  # run_level LABEL shop_load-options...
  local label="$1" run out
  shift
  for run in $(seq "$RUNS"); do
    echo "--- $label, run $run (load $(cut -d' ' -f1-3 /proc/loadavg)$(io_pressure))"
    out=$(shop_load --duration "$DURATION" --warmup "$WARMUP" --seed "$run" --label "$label" "$@") || true
    grep -v '^{' <<<"$out"
    tail -1 <<<"$out" | grep '^{' >>"$RESULTS" || echo "run-shop: no result line from $label run $run" >&2
  done
}
for users in $LEVELS; do
  run_level "users=$users think_ms=$THINK_MS" --users "$users" --think-ms "$THINK_MS"
done
for rate in $RATES; do
  run_level "rate=$rate users=$max_users" --users "$max_users" --rate "$rate"
done

# Every Pay must have become a paid order (the webhook, the ledger and the order-status worker).
sleep 3
echo "orders by status: $(psql -tA "$PG_BASE/order_db" -F= -R' ' -c 'SELECT status, count(*) FROM orders GROUP BY 1 ORDER BY 1')"
echo "payment transactions by status: $(psql -tA "$PG_BASE/payment_db" -F= -R' ' \
  -c 'SELECT status, count(*) FROM transactions GROUP BY 1 ORDER BY 1')"
echo "=== medians of $RUNS runs per level (each ${DURATION} s after ${WARMUP} s warm-up)"
python3 - "$RESULTS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(r["label"], []).append(r)
med = statistics.median
for label, rs in runs.items():
    ops = list(dict.fromkeys(k for r in rs for k in r["operations"]))
    zero = {"per_s": 0, "p50_ms": 0, "p95_ms": 0, "p99_ms": 0}
    errors = sum(r["total"]["errors"] for r in rs)
    done = sum(r["total"]["ok"] + r["total"]["errors"] for r in rs)
    print(f"{label}: {med(r['total']['per_s'] for r in rs):,.0f} ops/s ("
          + " ".join(f"{r['total']['per_s']:.0f}" for r in rs) + f"), errors {errors} of {done};"
          f" roles CPU {med(r['roles_cpu_pct'] for r in rs):.0f}% of a core, all watched"
          f" {med(r['watched_cpu_pct'] for r in rs):.0f}%, machine busy {med(r['machine_busy_pct'] for r in rs):.0f}%,"
          f" shop_load {med(r['load_tool_cpu_pct'] for r in rs):.0f}%, other processes"
          f" {med(r['machine_busy_pct'] * r['cores'] - r['watched_cpu_pct'] - r['load_tool_cpu_pct'] for r in rs):.0f}%;"
          f" roles RSS peak {max(r['roles_peak_rss_kib'] for r in rs) / 1024:.0f} MiB")
    print(f"  {'operation':<10} {'ok/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for op in ops + ["all"]:
        get = (lambda r: r["total"]) if op == "all" else (lambda r, op=op: r["operations"].get(op, zero))
        print(f"  {op:<10} {med(get(r)['per_s'] for r in rs):8.1f} {med(get(r)['p50_ms'] for r in rs):8.2f}"
              f" {med(get(r)['p95_ms'] for r in rs):8.2f} {med(get(r)['p99_ms'] for r in rs):8.2f}")
    procs = {}
    for r in rs:
        for p in r["processes"]:
            procs.setdefault(p["name"], []).append(p)
    print("  " + ", ".join(f"{n} {med(p['cpu_pct'] for p in ps):.0f}% / {max(p['peak_rss_kib'] for p in ps) / 1024:.0f} MiB"
                           for n, ps in procs.items()) + "  (CPU % of one core median / peak RSS)")
PY
