#!/bin/sh
# The built library against the committed ABI baseline (abidw/abidiff from
# Debian's abigail-tools): a removed or changed ck_ function fails; added
# ones pass.  abidiff 2.2 exits 4, not 8, for a changed parameter type, so
# any non-zero status fails.
#   check_abi.sh LIBRARY BASELINE HEADERS_DIR
set -u
lib=$1 baseline=$2 headers=$3
if ! abidiff --no-added-syms --headers-dir2 "$headers" "$baseline" "$lib"; then
  echo "the ABI changed against $baseline; if that is intended, bump the SONAME"
  echo "or add a _v2 function, and regenerate the baseline with:"
  echo "  abidw --no-corpus-path --drop-private-types --headers-dir $headers --out-file $baseline $lib"
  exit 1
fi
echo "1 passed, 0 failed"
