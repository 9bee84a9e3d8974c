#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Package.swift) and runs each for FUZZ_SECONDS (default 60).
# Seeds: the shipped samples (CSV heads), configs and pyhf fixtures, plus Fuzz/seeds/.
# Findings (crash-*, leak-*, timeout-*) land in .build-fuzz/findings/<target>/; the script exits
# non-zero when a target finds one. FUZZ_JOBS=N runs the targets concurrently (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"fuzz-csv fuzz-config fuzz-workspace"}
OUT=.build-fuzz
"$SWIFT" build -c release --package-path Fuzz --scratch-path "$OUT" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
BIN=$("$SWIFT" build -c release --package-path Fuzz --scratch-path "$OUT" --show-bin-path)

seed() {  # seed <target> <dir>: the seed corpus of a target
  mkdir -p "$2"
  case "$1" in
    fuzz-csv)
      cp Fuzz/seeds/csv/* "$2"/
      for f in samples/toy-csv/*.csv Tests/Fixtures/xgboost/*.csv; do head -c 4000 "$f" > "$2/$(basename "$f")"; done ;;
    fuzz-config) cp configs/*.json "$2"/ ;;
    fuzz-workspace) cp Tests/Fixtures/pyhf/*.workspace.json "$2"/ ;;
  esac
}

status=0
pids=()
for t in $TARGETS; do
  mkdir -p "$OUT/corpus/$t" "$OUT/findings/$t"
  seed "$t" "$OUT/seeds/$t"
  (
    nice -n 10 "$BIN/$t" "$OUT/corpus/$t" "$OUT/seeds/$t" -max_total_time="$SECONDS_EACH" -max_len=8192 \
      -rss_limit_mb=2048 -timeout=20 -artifact_prefix="$OUT/findings/$t/" -print_final_stats=1 \
      > "$OUT/$t.log" 2>&1
  ) &
  pids+=($!)
  if [ "${FUZZ_JOBS:-1}" -le 1 ]; then wait "${pids[-1]}" || true; fi
done
wait || true
for t in $TARGETS; do
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$t.log" | grep -o '[0-9]*$' || echo "?")
  found=$(ls "$OUT/findings/$t" | wc -l)
  echo "$t: $runs executions, $found findings (log: $OUT/$t.log)"
  [ "$found" -eq 0 ] || status=1
done
exit $status
