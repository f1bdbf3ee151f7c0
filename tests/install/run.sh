#!/bin/sh
# Installs the built tree under DESTDIR, then builds two outside programs
# against it -- one with pkg-config, one with find_package(claimkit CONFIG)
# -- and has each import the example pack.
#   run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DESTDIR="$tmp/root" cmake --install "$build" --prefix /opt/claimkit >/dev/null
prefix="$tmp/root/opt/claimkit"
pc=$(find "$prefix" -name claimkit.pc)
libdir=$(dirname "$(dirname "$pc")")
test -f "$prefix/include/claimkit.h"
test -f "$libdir/cmake/claimkit/claimkitConfig.cmake"
pack="$src/examples/deepseek-v4/claims.json"

flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs claimkit)
cc -std=c11 -Wall -Werror "$src/tests/install/consumer/consumer.c" $flags \
   -o "$tmp/with-pkg-config"
LD_LIBRARY_PATH="$libdir" "$tmp/with-pkg-config" "$pack"

cmake -S "$src/tests/install/consumer" -B "$tmp/cm" \
      -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/cm" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/cm/consumer" "$pack"

# The Lua module where lua5.4 looks for C modules, and the console.
test -f "$libdir/lua/5.4/claimkit.so"
LD_LIBRARY_PATH="$libdir" LUA_CPATH="$libdir/lua/5.4/?.so" lua5.4 -e "
  local db = require('claimkit').open()
  db:import('$pack')
  assert(db:stats().claims > 0)"
LD_LIBRARY_PATH="$libdir" "$prefix/bin/claimkit-lua" -e "
  db:import('$pack') assert(db:label('competition-shift') == 'consensus')"
echo "3 passed, 0 failed"
