#!/bin/sh
# Builds every libFuzzer target with ASan and UBSan (clang) into OUT, the
# library's sources compiled once for all of them.   build.sh SOURCE_DIR OUT
set -eu
src=$1 out=$2
mkdir -p "$out/obj"
flags="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="$flags -D_POSIX_C_SOURCE=200809L -I$src/core/include -I$src/core/src"
flags="$flags $(pkg-config --cflags sqlite3 jansson lua5.4)"
export flags out
# No target syncs: the core as a build without libpq has it.
sh "$src/tests/core_sources.sh" "$src" | xargs -P 2 -I{} sh -c \
  'clang $flags -fsanitize=fuzzer-no-link -c "$1" -o "$out/obj/$(basename "$1" .c).o"' _ {}
for target in "$src"/tests/fuzz/fuzz_*.c; do
  clang $flags -fsanitize=fuzzer "$target" "$out"/obj/*.o \
    $(pkg-config --libs sqlite3 jansson lua5.4) -lm \
    -o "$out/$(basename "$target" .c)"
done
echo "1 passed, 0 failed"
