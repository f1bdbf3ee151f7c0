#!/usr/bin/python3
"""10,000 CKVALUE cells against 10,000 equivalent VLOOKUP cells over the
same data, recalculated in one headless LibreOffice run (docs/benchmarks.md).

    /usr/bin/python3 tests/bench/calc_bench.py BUILD_DIR [N] [DATABASE]
                     [--rows R] [--oxt EXTENSION] [--one-thread]

The data is N (entity, value) pairs (R with --rows: N cells then ask R
keys): a claim database for CKVALUE, a sheet range for VLOOKUP (exact
match, unsorted, the way analysts write it).  With DATABASE (a desk-sized
claim database, tests/bench/run makes one) the N cells ask its keys
instead, and VLOOKUP reads the same figures from a sheet.  The two
workbooks are recalculated with calculateAll() in turn, five rounds; the
first round asks each key cold.  Printed: the median times and the median
of the rounds' ratios.  --oxt installs another build of the add-in (a
build configured with -DCK_CALC_NATIVE=OFF makes the Python one).
--one-thread turns off Calc's threaded calculation of formula groups,
which can spread a column of VLOOKUPs over idle cores but never add-in
calls (docs/benchmarks.md).
"""
import argparse
import os
import pathlib
import random
import shutil
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
ROUNDS = 5
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(ROOT / "bindings" / "libreoffice"))


def one_thread(office):
    """Calc's "threaded calculation" off for this profile (Tools > Options >
    Calc > Calculate), as a user may set it."""
    import uno
    provider = office.smgr.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", office.ctx)
    node = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    node.Name, node.Value = "nodepath", "/org.openoffice.Office.Calc/Formula/Calculation"
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", (node,))
    access.setPropertyValue("UseThreadedCalculationForFormulaGroups", False)
    access.commitChanges()


def main(build, n, desk=None, rows=None, oxt=None, threads=True):
    os.environ.setdefault("CLAIMKIT_LIBRARY", str(build / "core" / "libclaimkit.so"))
    import claimkit
    from office import Office

    rng = random.Random(20260428)
    work = pathlib.Path(tempfile.mkdtemp(prefix="claimkit-calc-bench-"))
    if desk:
        with claimkit.open(desk, readonly=True, frames=False) as db:
            rows = db.sql("SELECT entity, metric, period, value FROM key_values")
        figures = [(f"{r['entity']}|{r['metric']}|{r['period']}", r["value"]) for r in rows]
        keys = [k for k, _ in figures]
        values = [v for _, v in figures]
        ask = "=CKVALUE(E{r};F{r};G{r})"
    else:
        keys = [f"e{i}" for i in range(rows or n)]
        values = [round(rng.uniform(0, 100), 2) for _ in keys]
        ask = '=CKVALUE(E{r};"m";"2026")'
    wanted = [rng.randrange(len(keys)) for _ in range(n)]

    try:
        database = pathlib.Path(desk) if desk else work / "bench.db"
        if not desk:
            with claimkit.open(database) as db:
                db.import_pack({
                    "actors": [{"id": "a"}], "metrics": [{"id": "m"}],
                    "entities": [{"id": k} for k in keys],
                    "claims": [{"actor": "a", "entity": k, "metric": "m", "period": "2026",
                                "value": v} for k, v in zip(keys, values)]})
        env = dict(os.environ, CLAIMKIT_DB=str(database))
        profile = work / "profile"
        with Office(profile, env) as office:
            office.install(oxt or build / "bindings" / "libreoffice" / "claimkit.oxt")
            if not threads:
                one_thread(office)
        with Office(profile, env) as office:
            docs = {}
            for kind in ("VLOOKUP", "CKVALUE"):
                doc = docs[kind] = office.new_calc()
                sheet = doc.Sheets.getByIndex(0)
                data = sheet.getCellRangeByPosition(0, 0, 1, len(keys) - 1)
                data.setDataArray(tuple((k, v) for k, v in zip(keys, values)))
                formula = ("=VLOOKUP(D{r};$A$1:$B${n};2;0)" if kind == "VLOOKUP"
                           else ask)
                # D: the key as the sheet writes it; E, F, G: its parts
                cells = sheet.getCellRangeByPosition(3, 0, 7, n - 1)
                # (a period typed as 2026-08 would become a date: "'" keeps text)
                parts = [(k.split("|") + ["", ""])[:3] for k in keys]
                parts = [(e, m, "'" + p if p else "") for e, m, p in parts]
                cells.setFormulaArray(tuple(
                    (keys[w], *parts[w], formula.format(r=r + 1, n=len(keys)))
                    for r, w in enumerate(wanted)))
            # alternate the two, so that a busy spell of a shared machine
            # falls on both; the median of the rounds' ratios is reported
            rounds = {kind: [] for kind in docs}
            for _ in range(ROUNDS):
                for kind, doc in docs.items():
                    t = time.perf_counter()
                    doc.calculateAll()
                    rounds[kind].append(time.perf_counter() - t)
            for kind, doc in docs.items():
                sheet = doc.Sheets.getByIndex(0)
                got = [row[0] for row in sheet.getCellRangeByPosition(7, 0, 7, n - 1)
                       .getDataArray()]
                assert got == [values[w] for w in wanted], kind
                doc.close(True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [c / v for c, v in zip(rounds["CKVALUE"], rounds["VLOOKUP"])]
    vlookup, ckvalue = (statistics.median(rounds[k]) for k in ("VLOOKUP", "CKVALUE"))
    print(f"{n} cells over {len(keys)} keys: VLOOKUP {vlookup:.3f} s "
          f"({vlookup / n * 1e6:.1f} us a cell), CKVALUE {ckvalue:.3f} s "
          f"({ckvalue / n * 1e6:.1f} us a cell), ratio {statistics.median(ratios):.2f}x "
          f"(rounds {min(ratios):.2f}-{max(ratios):.2f}x)"
          + ("" if threads else ", Calc's threaded calculation off"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("build", nargs="?", default=ROOT / "build" / "test", type=pathlib.Path)
    parser.add_argument("n", nargs="?", default=10000, type=int)
    parser.add_argument("database", nargs="?")
    parser.add_argument("--rows", type=int, help="keys in the lookup table (default N)")
    parser.add_argument("--oxt", type=pathlib.Path, help="the add-in to install")
    parser.add_argument("--one-thread", action="store_true",
                        help="Calc's threaded calculation off")
    a = parser.parse_args()
    main(a.build.resolve(), a.n, a.database, a.rows, a.oxt and a.oxt.resolve(),
         threads=not a.one_thread)
