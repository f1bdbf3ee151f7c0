#!/bin/sh
# The library exports exactly the committed list of ck_ functions (after
# jansson's check-exports), with a SONAME.
#   check_exports.sh LIBRARY SYMBOLS_TXT
set -eu
lib=$1 want=$2
got=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRV]$/ {sub(/@.*/, "", $3); print $3}' | sort)
if [ "$got" != "$(sort "$want")" ]; then
  echo "exported symbols differ from $want:"
  printf '%s\n' "$got" | diff "$want" - || true
  exit 1
fi
soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
case "$soname" in
  libclaimkit.so.[0-9]*) ;;
  *) echo "bad or missing SONAME: '$soname'"; exit 1 ;;
esac
echo "exports: $(printf '%s\n' "$got" | wc -l) ck_ symbols, SONAME $soname"
echo "1 passed, 0 failed"
