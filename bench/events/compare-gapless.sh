#!/usr/bin/env bash
# The relay's throughput with librdkafka's gapless guarantee and without it, side by side:
# RUNS (3) alternating pairs of events_pipeline_bench --preload runs (a backlog committed
# first, then the relay drains it), then the median of each setting and their ratio.
#
#   scripts/with-infra.sh bench/events/compare-gapless.sh build/bench/events/events_pipeline_bench [EVENTS]
set -Eeuo pipefail
BENCH="${1:?usage: compare-gapless.sh path/to/events_pipeline_bench [EVENTS]}"
EVENTS="${2:-20000}"
RUNS="${RUNS:-3}"

declare -A relay drain
for ((run = 1; run <= RUNS; run++)); do
  for setting in on off; do
    out=$("$BENCH" --events "$EVENTS" --consumers 4 --preload --gapless "$setting")
    r=$(sed -n 's/^relay_throughput=\([0-9]*\) .*/\1/p' <<<"$out")
    d=$(sed -n 's/.*throughput=\([0-9]*\) events\/s$/\1/p' <<<"$out" | head -1)
    printf 'run %d gapless=%-3s relay %6s events/s  relay+consumers %6s events/s\n' "$run" "$setting" "$r" "$d"
    relay[$setting]+="$r "
    drain[$setting]+="$d "
  done
done
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
on=$(median "${relay[on]}"); off=$(median "${relay[off]}")
printf 'median relay throughput: gapless on %s, off %s events/s (on/off = %s)\n' "$on" "$off" \
  "$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", a / b }')"
printf 'median relay+consumers:  gapless on %s, off %s events/s\n' "$(median "${drain[on]}")" "$(median "${drain[off]}")"
