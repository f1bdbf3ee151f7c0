#!/bin/sh
# The library's sources as a build without libpq compiles them, one a line:
# core/src/*.c but the hub's, whose ck_sync is then hub_stub.c's.  For the
# scripts that compile the core themselves (fuzz, ThreadSanitizer), which
# never sync.   core_sources.sh SOURCE_DIR
ls "$1"/core/src/*.c | grep -Ev '/hub(_pg|_state|_push|_pull)?\.c$'
