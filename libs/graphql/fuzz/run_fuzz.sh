#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs both in parallel (not part of CI).
#   libs/graphql/fuzz/run_fuzz.sh [seconds per target, default 600]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
seconds="${1:-600}"
build="$repo/build-graphql-fuzz"
CXX=clang++ CC=clang cmake -S "$repo/libs/graphql" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DORDERSTREAM_GRAPHQL_FUZZ=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
ninja -C "$build" -j2 graphql_parse_fuzzer graphql_validate_fuzzer
mkdir -p "$build/corpus-parse" "$build/corpus-validate"
for fuzzer in parse validate; do
  "$build/fuzz/graphql_${fuzzer}_fuzzer" "$build/corpus-$fuzzer" "$here/corpus" "$repo/libs/graphql/tests/data" \
    -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    > "$build/fuzz-$fuzzer.log" 2>&1 &
done
wait
for fuzzer in parse validate; do
  echo "== $fuzzer"; grep -E 'stat::number_of_executed_units|cov:|ERROR|SUMMARY' "$build/fuzz-$fuzzer.log" | tail -4
done
