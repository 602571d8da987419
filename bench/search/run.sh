#!/usr/bin/env bash
# Product search on both backends, same 100,000-product catalog, same queries, same concurrency,
# in one run: PostgreSQL full-text search (result cache off, so every call searches) and the
# OpenSearch backend (ELASTICSEARCH_URL; a real single node from scripts/opensearch.sh).
# Reports the build time of each backend's index from the loaded catalog, throughput and
# p50/p99 per run, and the engine/PostgreSQL throughput ratio.
#   bench/search/run.sh [BUILD_DIR]   (env: PRODUCTS=100000 CONCURRENCY=16 DURATION=10 RUNS=3 WARMUP=10
#                                      BENCH_OPENSEARCH_PORT=19201 BENCH_OPENSEARCH_TRANSPORT_PORT=19301)
# BUILD_DIR (default build/) needs orderstream and bench/load/grpc_load.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../load/bench-env.sh"
export OPENSEARCH_PORT="${BENCH_OPENSEARCH_PORT:-19201}"
export OPENSEARCH_TRANSPORT_PORT="${BENCH_OPENSEARCH_TRANSPORT_PORT:-19301}"
ENGINE="http://127.0.0.1:$OPENSEARCH_PORT"
RESULTS=$(mktemp)
engine_started=0
stop_engine() {
  (( engine_started )) && "$REPO_DIR/scripts/opensearch.sh" stop >/dev/null || true
  rm -f "$RESULTS"
}
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true; stop_engine' EXIT

"$REPO_DIR/scripts/opensearch.sh" status >/dev/null 2>&1 || { engine_started=1; "$REPO_DIR/scripts/opensearch.sh" start; }
echo "engine: $(curl -s "$ENGINE/" | sed -n 's/.*"distribution" : "\(.*\)".*/\1/p') $(curl -s "$ENGINE/" | sed -n 's/.*"number" : "\(.*\)".*/\1/p'), heap ${OPENSEARCH_HEAP_OPTS:--Xms512m -Xmx512m}"

# PostgreSQL backend; its start applies the migrations the catalog is written into.
PRODUCT_SEARCH_CACHE_MB=0 start_role product 2262 2263
url="$PG_BASE/product_db"
start=$(date +%s%N)
psql -q "$url" -v count="${PRODUCTS:-100000}" -f "$REPO_DIR/bench/load/generate-catalog.sql"
echo "catalog: $(psql -tA "$url" -c 'SELECT count(*) FROM products') products (load with index maintenance took $(( ($(date +%s%N) - start) / 1000000 )) ms)"
start=$(date +%s%N)
psql -q "$url" -c 'REINDEX TABLE products'
echo "index build, PostgreSQL (REINDEX TABLE products: full-text, trigram and b-tree indexes): $(( ($(date +%s%N) - start) / 1000000 )) ms"

# The client gives every call 5 s; the engine gets as long (PostgreSQL has no timeout of its own).
export ELASTICSEARCH_URL="$ENGINE" ELASTICSEARCH_INDEX=bench-products ELASTICSEARCH_REPLICAS=0 ELASTICSEARCH_TIMEOUT_MS=5000
start=$(date +%s%N)
DATABASE_URL="$url" "$BIN" product reindex | tail -n 2
echo "index build, OpenSearch (orderstream product reindex: read, bulk-load, refresh, merge, alias swap): $(( ($(date +%s%N) - start) / 1000000 )) ms"
echo "engine index: $(curl -s "$ENGINE/_cat/indices/bench-products-*?h=docs.count,store.size") in $(curl -s "$ENGINE/_cat/segments/bench-products-*?h=segment" | wc -l) segment(s)"
start_role product 2264 2265
unset ELASTICSEARCH_URL

# Both backends warm up alike first (JIT, page cache, buffer pool); these calls are not counted.
for target in 2262 2264; do
  "$LOAD" --target 127.0.0.1:$target --scenario search --concurrency "${CONCURRENCY:-16}" \
    --duration "${WARMUP:-10}" --warmup 0 >/dev/null
done
for run in $(seq "${RUNS:-3}"); do
  for target in 2262 2264; do
    backend=$([[ $target == 2262 ]] && echo postgres || echo opensearch)
    line=$("$LOAD" --target 127.0.0.1:$target --scenario search --concurrency "${CONCURRENCY:-16}" \
      --duration "${DURATION:-10}" --warmup 2)
    echo "search run $run, $backend: $line"
    echo "$backend $line" >>"$RESULTS"
  done
done

# Medians over the runs, and the ratio.
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1], ++n[$1, kv[1]]] = kv[2] + 0 } }
  function median(b, k,   m, i, j, t, a) { m = n[b, k]; for (i = 1; i <= m; i++) a[i] = v[b, k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((m + 1) / 2)] }
  END {
    pg = median("postgres", "throughput"); os = median("opensearch", "throughput")
    printf "median postgres:   %.0f searches/s, p50 %.2f ms, p99 %.2f ms\n", pg, median("postgres", "p50"), median("postgres", "p99")
    printf "median opensearch: %.0f searches/s, p50 %.2f ms, p99 %.2f ms\n", os, median("opensearch", "p50"), median("opensearch", "p99")
    printf "throughput ratio opensearch/postgres: %.2f\n", os / pg }' "$RESULTS"
