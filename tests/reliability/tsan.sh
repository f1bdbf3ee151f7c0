#!/bin/sh
# The concurrency program and the library built with ThreadSanitizer
# (clang): separate handles in separate threads share no unguarded state.
#   tsan.sh SOURCE_DIR SECONDS
set -eu
src=$1 seconds=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang -g -O1 -fsanitize=thread -D_POSIX_C_SOURCE=200809L \
  -I"$src/core/include" -I"$src/core/src" \
  $(pkg-config --cflags sqlite3 jansson lua5.4) \
  "$src/tests/reliability/concurrency.c" $(sh "$src/tests/core_sources.sh" "$src") \
  $(pkg-config --libs sqlite3 jansson lua5.4) -lpthread -lm -o "$work/concurrency"
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$work/concurrency" "$seconds"
