#!/usr/bin/env bash
# Product service: loads a 100,000-product catalog (bench-only data), then measures search
# (mixed one- and two-word queries), GetProducts by 20 ids and PostProduct (with its outbox
# row) at 16 concurrent callers, and reports the catalog's size on disk.
# Search runs side by side against two instances on the same catalog: one with the result
# cache (the default) and one without it (PRODUCT_SEARCH_CACHE_MB=0), run for run.
#   bench/load/run-product.sh [BUILD_DIR]   (env: PRODUCTS=100000 CONCURRENCY=16 DURATION=10 RUNS=3)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
HERE="$REPO_DIR/bench/load"
start_role product 2252 2253
url="$PG_BASE/product_db"
start=$(date +%s%N)
psql -q "$url" -v count="${PRODUCTS:-100000}" -f "$HERE/generate-catalog.sql"
echo "catalog: $(psql -tA "$url" -c 'SELECT count(*) FROM products') products (load took $(( ($(date +%s%N) - start) / 1000000 )) ms)"
psql -tA "$url" -c "SELECT 'catalog on disk: table ' || pg_size_pretty(pg_relation_size('products'))
  || ', full-text index ' || pg_size_pretty(pg_relation_size('products_document'))
  || ', trigram index ' || pg_size_pretty(pg_relation_size('products_name_trigram'))
  || ', total ' || pg_size_pretty(pg_total_relation_size('products'))"
PRODUCT_SEARCH_CACHE_MB=0 start_role product 2254 2255
for run in $(seq "${RUNS:-3}"); do
  for target in 2252 2254; do
    echo "search run $run: $([[ $target == 2252 ]] && echo 'with the result cache' || echo 'without the result cache')"
    "$LOAD" --target 127.0.0.1:$target --scenario search --concurrency "${CONCURRENCY:-16}" \
      --duration "${DURATION:-10}" --warmup 2
  done
done
for scenario in get-products-by-ids post-product; do
  for run in $(seq "${RUNS:-3}"); do
    "$LOAD" --target 127.0.0.1:2252 --scenario $scenario --concurrency "${CONCURRENCY:-16}" \
      --duration "${DURATION:-10}" --warmup 2
  done
done
