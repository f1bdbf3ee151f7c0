#!/usr/bin/env python3
"""The baselines docs/benchmarks.md compares claimkit with: what a user would write
in an afternoon with Python's json, sqlite3 and statistics.

    naive.py import OUT.db PACK.jsonl        two tables, two indexes, no checks
    naive.py import-pack OUT.db PACK.json    the same from a claim pack (json.load)
    naive.py import-sheet OUT.db CODEBOOK.jsonl SHEET.csv
                                             the codebook, then claims read with csv
    naive.py value DB ENTITY METRIC PERIOD   median of the latest per actor
    naive.py consensus DB QUESTION [REGION]  Tastle-Wierman cns

The query commands read a database made by `naive.py import` and print the
answer and the time it took, so that the benchmark can check that claimkit
gives the same answer.
"""
import csv
import json
import math
import sqlite3
import statistics
import sys
import time


def create(out):
    db = sqlite3.connect(out)
    db.execute("CREATE TABLE actors(id TEXT PRIMARY KEY, region TEXT, weight REAL)")
    db.execute("CREATE TABLE questions(id TEXT PRIMARY KEY, lo INTEGER, hi INTEGER)")
    db.execute("CREATE TABLE claims(id INTEGER PRIMARY KEY, actor TEXT, question TEXT,"
               " stance INTEGER, entity TEXT, metric TEXT, period TEXT, value REAL,"
               " as_of TEXT, record TEXT)")
    db.execute("CREATE INDEX claims_question ON claims(question)")
    db.execute("CREATE INDEX claims_key ON claims(entity, metric, period)")
    return db


def store(db, kind, r, text):
    if kind == "actor":
        db.execute("INSERT OR REPLACE INTO actors VALUES (?, ?, ?)",
                   (r["id"], r.get("region"), r.get("weight", 1.0)))
    elif kind == "question":
        lo, hi = r.get("scale", [-2, 2])
        db.execute("INSERT OR REPLACE INTO questions VALUES (?, ?, ?)", (r["id"], lo, hi))
    elif kind == "claim":
        db.execute("INSERT INTO claims(actor, question, stance, entity, metric,"
                   " period, value, as_of, record) VALUES (?,?,?,?,?,?,?,?,?)",
                   (r["actor"], r.get("question"), r.get("stance"), r.get("entity"),
                    r.get("metric"), r.get("period"), r.get("value"), r.get("as_of"),
                    text))


def do_import(out, pack):
    db = create(out)
    with open(pack, encoding="utf-8") as f, db:
        for line in f:
            r = json.loads(line)
            store(db, r["type"], r, line)
    db.close()


LISTS = {"sources": "source", "frameworks": "framework", "actors": "actor",
         "entities": "entity", "metrics": "metric", "questions": "question",
         "claims": "claim", "scripts": "script"}


def import_pack(out, pack):
    """A claim pack, json.load of the whole; each record stored as JSON."""
    db = create(out)
    with open(pack, encoding="utf-8") as f, db:
        p = json.load(f)
        for name, kind in LISTS.items():
            for r in p.get(name, []):
                store(db, kind, r, json.dumps(r, ensure_ascii=False))
    db.close()


def import_sheet(out, codebook, sheet):
    """JSON Lines of the codebook, then a claim sheet read with csv: empty
    cells absent, stance an integer, value a number."""
    do_import(out, codebook)
    db = sqlite3.connect(out)
    with open(sheet, encoding="utf-8", newline="") as f, db:
        for row in csv.DictReader(f):
            r = {k: v for k, v in row.items() if v != ""}
            if "stance" in r:
                r["stance"] = int(r["stance"])
            if "value" in r:
                r["value"] = float(r["value"])
            store(db, "claim", r, json.dumps(r, ensure_ascii=False))
    db.close()


def latest_per_actor(rows):
    latest = {}
    for actor, x, as_of, seq in rows:
        key = (as_of or "", seq)
        if actor not in latest or key > latest[actor][0]:
            latest[actor] = (key, x)
    return {a: v for a, (k, v) in latest.items()}


def value(db, entity, metric, period):
    rows = db.execute("SELECT actor, value, as_of, id FROM claims WHERE entity = ? AND"
                      " metric = ? AND period = ?", (entity, metric, period)).fetchall()
    return statistics.median(latest_per_actor(rows).values())


def consensus(db, question, region=None):
    rows = db.execute("SELECT c.actor, c.stance, c.as_of, c.id FROM claims c JOIN actors a"
                      " ON a.id = c.actor WHERE c.question = ?"
                      + (" AND a.region = ?" if region else ""),
                      (question, region) if region else (question,)).fetchall()
    latest = latest_per_actor(rows)
    weights = dict(db.execute("SELECT id, weight FROM actors"))
    lo, hi = db.execute("SELECT lo, hi FROM questions WHERE id = ?", (question,)).fetchone()
    total = sum(weights[a] for a in latest)
    mean = sum(weights[a] * s for a, s in latest.items()) / total
    width = hi - lo
    cns = 1.0
    for x in range(lo, hi + 1):
        p = sum(weights[a] for a, s in latest.items() if s == x) / total
        if p:
            cns += p * math.log2(1 - abs(x - mean) / width)
    return cns


def main(argv):
    importers = {"import": do_import, "import-pack": import_pack,
                 "import-sheet": import_sheet}
    if argv[1] in importers:
        t = time.perf_counter()
        importers[argv[1]](*argv[2:])
        print(f"{time.perf_counter() - t:.3f}")
        return
    db = sqlite3.connect(f"file:{argv[2]}?mode=ro", uri=True)
    t = time.perf_counter()
    answer = value(db, *argv[3:6]) if argv[1] == "value" else consensus(db, *argv[3:])
    print(f"{answer!r} {time.perf_counter() - t:.6f}")


if __name__ == "__main__":
    main(sys.argv)
