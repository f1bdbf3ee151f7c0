#!/bin/sh
# Import benchmark: a generated JSON Lines stream of N claims (default
# 1,000,000) into a fresh file database, timed with /usr/bin/time -v.
#   import_bench.sh BUILD_DIR [N]
set -eu
build=$1 n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_jsonl.py" "$n" "$tmp/claims.jsonl"
echo "input: $n claims, $(du -m "$tmp/claims.jsonl" | cut -f1) MiB of JSON Lines"
/usr/bin/time -v "$build/examples/c/claimkit-summary" "$tmp/bench.db" \
  "$tmp/claims.jsonl" >"$tmp/out" 2>"$tmp/time"
grep -E 'claims|views|observations' "$tmp/out" | head -3
grep -E 'Elapsed|Maximum resident' "$tmp/time"
echo "database: $(du -m "$tmp/bench.db" | cut -f1) MiB"
