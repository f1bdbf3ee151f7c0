#!/bin/sh
# Builds users make: the library's and the Lua module's sources compile
# without a warning under GCC and Clang at the flags of CMake's Release,
# RelWithDebInfo and Debug builds; and a plain configure does not turn
# warnings into errors (-Werror is our presets' and CI's choice, CK_WERROR).
#   matrix.sh SOURCE_DIR
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# lua/report.lua and lua/console.lua as the headers the build makes of them
for part in report console; do
  cmake -DIN="$src/lua/$part.lua" -DOUT="$work/$part.h" -DNAME=${part}_lua \
        -P "$src/lua/embed.cmake"
done
inc="-I$src/core/include -I$src/core/src -I$work $(pkg-config --cflags sqlite3 jansson lua5.4 libedit)"
# The hub's files with libpq's headers; without them, the stub alone.
hub_files='/hub(_pg|_state|_push|_pull)?\.c$'
if pkg-config --exists libpq; then
  inc="$inc $(pkg-config --cflags libpq)"
  hub_files='^$'
fi
export inc work
failed=0
for cc in gcc clang; do
  for flags in "-O3 -DNDEBUG" "-O2 -g -DNDEBUG" "-g"; do
    log="$work/$cc$(echo "$flags" | tr -d ' -').log"
    ls "$src"/core/src/*.c "$src"/lua/*.c | grep -Ev "$hub_files" | CC=$cc FLAGS="$flags" xargs -P 2 -I{} sh -c \
      '$CC -std=c11 -D_POSIX_C_SOURCE=200809L -fPIC -fvisibility=hidden $FLAGS -Wall -Wextra -Werror $inc -c "$1" -o /dev/null' _ {} \
      >"$log" 2>&1 || { echo "FAIL $cc $flags:"; cat "$log"; failed=1; }
    [ $failed = 0 ] && echo "ok   $cc $flags"
  done
done
# A packager's configure: no -Werror unless asked for.
cmake -S "$src" -B "$work/plain" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
if grep -rq -- "-Werror" "$work/plain/core/CMakeFiles/claimkit_objects.dir/flags.make"; then
  echo "FAIL a plain Release configure compiles with -Werror"
  failed=1
else
  echo "ok   a plain Release configure leaves -Werror off"
fi
cmake -S "$src" -B "$work/strict" -DCK_WERROR=ON -DBUILD_TESTING=OFF >/dev/null
grep -q -- "-Werror" "$work/strict/core/CMakeFiles/claimkit_objects.dir/flags.make" ||
  { echo "FAIL CK_WERROR=ON does not add -Werror"; failed=1; }
[ $failed = 0 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; exit 1; }
