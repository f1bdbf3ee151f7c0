#!/usr/bin/python3
"""The hub's scale benchmark (docs/hub.md), run by hand, not a unit test.

    tests/bench/hub_bench.py [BUILD_DIR] [CLAIMS]

With CLAIMS generated claims (default 1,000,000; gen_scale.py's desk
shape) it times, against a PostgreSQL server started for it (tests/hub):

  - importing the JSON Lines file into an empty file (ck_import_file);
  - a first pull of a hub holding the same claims into an empty file
    (ck_sync), which must take at most twice the import;
  - an incremental sync of a file holding them all after another analyst
    pushed 100 new claims (push nothing, pull 100), and after the file
    itself imported 100 new ones (push 100, pull nothing): each at most 1 s.

Medians of three runs; it prints the figures and exits 1 when a bound is
missed.  Data lives in BUILD_DIR/bench.
"""
import json
import os
import pathlib
import random
import shutil
import statistics
import subprocess
import sys
import time

SOURCE = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else SOURCE / "build" / "test").resolve()
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
sys.path.insert(0, str(SOURCE / "bindings" / "python"))
sys.path.insert(0, str(SOURCE / "tests" / "hub"))
os.environ.setdefault("CLAIMKIT_LIBRARY", str(BUILD / "core" / "libclaimkit.so"))
import claimkit  # noqa: E402
import hubpg  # noqa: E402


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(str(path) + suffix).unlink(missing_ok=True)
    return claimkit.open(str(path))


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def new_claims(rng, n, tag):
    return {"claims": [{"source": "desk", "actor": f"a{rng.randrange(1000)}",
                        "question": f"q{rng.randrange(100)}", "stance": rng.randrange(-2, 3),
                        "locator": f"{tag}-{i}", "as_of": "2026-05-01"} for i in range(n)]}


def main():
    work = BUILD / "bench"
    work.mkdir(exist_ok=True)
    data = work / f"hub-{N}.jsonl"
    if not data.exists():
        subprocess.run([sys.executable, str(SOURCE / "tests" / "bench" / "gen_scale.py"),
                        str(N), str(data)], check=True)
    server = hubpg.Server()
    try:
        server.createdb("bench")
        url = server.conninfo("bench")
        imports, pulls = [], []
        for run in range(3):
            imports.append(timed(lambda: fresh(work / "imported.db").import_pack(str(data),
                                                                                   progress=False)))
            if run == 0:
                seeded = claimkit.open(str(work / "imported.db"))
                push = timed(lambda: seeded.sync(url, only="push"))
                print(f"first push of {N:,} claims: {push:.1f} s")
            pulls.append(timed(lambda: fresh(work / "pulled.db").sync(url)))
        imp, pull = statistics.median(imports), statistics.median(pulls)
        print(f"import of the JSON Lines file: {imp:.1f} s; first pull: {pull:.1f} s "
              f"({pull / imp:.2f}x, bound 2x)")
        mine = claimkit.open(str(work / "pulled.db"))
        other = fresh(work / "other.db")
        other.sync(url)
        rng = random.Random(25)
        pulls100, pushes100 = [], []
        for run in range(3):
            other.import_pack(new_claims(rng, 100, f"other{run}"))
            other.sync(url)
            pulls100.append(timed(lambda: mine.sync(url)))
            mine.import_pack(new_claims(rng, 100, f"mine{run}"))
            pushes100.append(timed(lambda: mine.sync(url)))
        p100, q100 = statistics.median(pulls100), statistics.median(pushes100)
        print(f"sync pulling 100 new claims into {N:,}: {p100 * 1000:.0f} ms; "
              f"sync pushing 100: {q100 * 1000:.0f} ms (bound 1 s)")
        ok = pull <= 2 * imp and p100 <= 1 and q100 <= 1
        print("bounds held" if ok else "a bound was missed")
        return 0 if ok else 1
    finally:
        server.stop()
        for name in ("imported.db", "pulled.db", "other.db"):
            for suffix in ("", "-wal", "-shm"):
                pathlib.Path(str(work / name) + suffix).unlink(missing_ok=True)
        shutil.rmtree(work / "tmp", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
