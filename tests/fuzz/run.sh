#!/bin/sh
# Builds a libFuzzer target with ASan and UBSan (clang) and runs it for a
# bounded time from its seed corpus; any crash, leak or broken invariant
# fails.   run.sh SOURCE_DIR TARGET SECONDS
set -eu
src=$1 target=$2 seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
core=$(ls "$src"/core/src/*.c)
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_POSIX_C_SOURCE=200809L -I"$src/core/include" -I"$src/core/src" \
  $(pkg-config --cflags sqlite3 jansson lua5.4) \
  "$src/tests/fuzz/fuzz_$target.c" $core \
  $(pkg-config --libs sqlite3 jansson lua5.4) -lm -o "$work/fuzz"
mkdir "$work/corpus"
cp "$src/tests/fuzz/corpus/$target"/* "$work/corpus/"
"$work/fuzz" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 "$work/corpus" 2>"$work/log" || { tail -60 "$work/log"; exit 1; }
grep -E "stat::number_of_executed_units|stat::peak_rss" "$work/log"
echo "1 passed, 0 failed"
