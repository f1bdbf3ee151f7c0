#!/usr/bin/env python3
"""The baselines docs/benchmarks.md compares claimkit with: what a user would write
in an afternoon with Python's json, sqlite3 and statistics.

    naive.py import OUT.db PACK.jsonl        two tables, two indexes, no checks
    naive.py value DB ENTITY METRIC PERIOD   median of the latest per actor
    naive.py consensus DB QUESTION [REGION]  Tastle-Wierman cns

The query commands read a database made by `naive.py import` and print the
answer and the time it took, so that the benchmark can check that claimkit
gives the same answer.
"""
import json
import math
import sqlite3
import statistics
import sys
import time


def do_import(out, pack):
    db = sqlite3.connect(out)
    db.execute("CREATE TABLE actors(id TEXT PRIMARY KEY, region TEXT, weight REAL)")
    db.execute("CREATE TABLE questions(id TEXT PRIMARY KEY, lo INTEGER, hi INTEGER)")
    db.execute("CREATE TABLE claims(id INTEGER PRIMARY KEY, actor TEXT, question TEXT,"
               " stance INTEGER, entity TEXT, metric TEXT, period TEXT, value REAL,"
               " as_of TEXT, record TEXT)")
    db.execute("CREATE INDEX claims_question ON claims(question)")
    db.execute("CREATE INDEX claims_key ON claims(entity, metric, period)")
    with open(pack, encoding="utf-8") as f, db:
        for line in f:
            r = json.loads(line)
            if r["type"] == "actor":
                db.execute("INSERT OR REPLACE INTO actors VALUES (?, ?, ?)",
                           (r["id"], r.get("region"), r.get("weight", 1.0)))
            elif r["type"] == "question":
                lo, hi = r.get("scale", [-2, 2])
                db.execute("INSERT OR REPLACE INTO questions VALUES (?, ?, ?)", (r["id"], lo, hi))
            elif r["type"] == "claim":
                db.execute("INSERT INTO claims(actor, question, stance, entity, metric,"
                           " period, value, as_of, record) VALUES (?,?,?,?,?,?,?,?,?)",
                           (r["actor"], r.get("question"), r.get("stance"), r.get("entity"),
                            r.get("metric"), r.get("period"), r.get("value"), r.get("as_of"),
                            line))
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
    if argv[1] == "import":
        t = time.perf_counter()
        do_import(argv[2], argv[3])
        print(f"{time.perf_counter() - t:.3f}")
        return
    db = sqlite3.connect(f"file:{argv[2]}?mode=ro", uri=True)
    t = time.perf_counter()
    answer = value(db, *argv[3:6]) if argv[1] == "value" else consensus(db, *argv[3:])
    print(f"{answer!r} {time.perf_counter() - t:.6f}")


if __name__ == "__main__":
    main(sys.argv)
