#!/usr/bin/env python3
"""Per-call overhead of the Python binding over the C call (docs/benchmarks.md).

    CLAIMKIT_LIBRARY=build/test/core/libclaimkit.so \
        python3 tests/bench/python_overhead.py [N]

Times db.value(...) against the same ck_num call made through bare ctypes
(which is what the C call costs from Python), best of five runs each.
"""
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
import claimkit  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000


def best(fn):
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append((time.perf_counter() - t) / n * 1e6)
    return min(runs)


with claimkit.open(frames=False) as db:
    db.import_pack(ROOT / "examples" / "deepseek-v4" / "claims.json")
    lib, handle = claimkit._lib, db._handle
    args = b'["deepseek","aa-index","2026-03"]'
    bare = best(lambda: lib.ck_num(handle, b"value", args))
    bound = best(lambda: db.value("deepseek", "aa-index", "2026-03"))
    print(f"python {sys.version.split()[0]}: ck_num through ctypes {bare:.2f} us, "
          f"db.value {bound:.2f} us, binding overhead {bound - bare:.2f} us per call")
