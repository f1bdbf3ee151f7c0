#!/bin/sh
# Runs a libFuzzer target (built by build.sh) for a bounded time from its
# seed corpus; any crash, leak, timeout or broken invariant fails.
#   run.sh SOURCE_DIR BUILD_DIR TARGET SECONDS
set -eu
src=$1 build=$2 target=$3 seconds=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/tests/fuzz/corpus/$target"/* "$work/"
CK_FUZZ_PACK="$src/examples/deepseek-v4/claims.json" \
  "$build/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
  -timeout=10 -print_final_stats=1 "$work" 2>"$work.log" ||
  { tail -60 "$work.log"; rm -f "$work.log"; exit 1; }
grep -E "stat::number_of_executed_units|stat::peak_rss" "$work.log"
rm -f "$work.log"
echo "1 passed, 0 failed"
