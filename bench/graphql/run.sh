#!/usr/bin/env bash
# Runs the C++ engine benchmark and graphql-js on the same documents, schema and data, and prints the
# median operations per second of each and their ratio.
#   bench/graphql/run.sh [path/to/graphql_benchmark]    (default: build-graphql/bench/graphql_benchmark)
# graphql-js comes from tests/graphql-conformance/node_modules (run `npm ci` there first).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
binary="${1:-$repo/build-graphql/bench/graphql_benchmark}"
cpp_json="$(mktemp)"
trap 'rm -f "$cpp_json"' EXIT
"$binary" --benchmark_repetitions=5 --benchmark_min_time=0.5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json > "$cpp_json"
js_json="$(node "$here/bench.mjs")"
node - "$cpp_json" "$js_json" <<'NODE'
const fs = require('fs');
const cpp = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const js = JSON.parse(process.argv[3]);
const documents = ['(a) seed account query', '(b) GraphiQL introspection'];
console.log('| document | phase | C++ median ops/s | graphql-js median ops/s | ratio | C++ allocs/op |');
console.log('|---|---|---:|---:|---:|---:|');
for (const b of cpp.benchmarks.filter((b) => b.aggregate_name === 'median')) {
  const name = b.run_name;
  const cppOps = 1e9 / (b.cpu_time * (b.time_unit === 'us' ? 1e3 : b.time_unit === 'ms' ? 1e6 : 1));
  const jsOps = js[name];
  const [phase, which] = name.replace('BM_', '').split('/introspection:');
  console.log(`| ${documents[Number(which)]} | ${phase} | ${Math.round(cppOps).toLocaleString('en')} | ` +
    `${Math.round(jsOps).toLocaleString('en')} | ${(cppOps / jsOps).toFixed(1)}x | ${Math.round(b['allocs/op'])} |`);
}
NODE
