#!/usr/bin/env python3
"""Writes a JSON Lines claim stream for the import benchmark.

    gen_jsonl.py N OUT.jsonl

N claims (half views, half observations) over 1,000 actors, 100
questions, 500 entities and 20 metrics, each claim on one line.
Deterministic, so runs compare.
"""
import json
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20260428)
with open(out, "w", encoding="utf-8") as f:
    w = lambda rec: f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    w({"type": "source", "id": "bench", "title": "基准", "published": "2026-04-28"})
    w({"type": "framework", "id": "fw"})
    for a in range(1000):
        w({"type": "actor", "id": f"a{a}", "region": "domestic" if a % 2 else "overseas",
           "kind": "broker"})
    for q in range(100):
        w({"type": "question", "id": f"q{q}", "framework": "fw", "scale": [-2, 2]})
    for e in range(500):
        w({"type": "entity", "id": f"e{e}"})
    for m in range(20):
        w({"type": "metric", "id": f"m{m}", "unit": "points"})
    for i in range(n):
        c = {"type": "claim", "source": "bench", "actor": f"a{rng.randrange(1000)}",
             "locator": f"{i // 60 % 60:02d}:{i % 60:02d}", "quote": f"第{i}条观点：估值与算力需求"}
        if i % 2:
            c.update(question=f"q{rng.randrange(100)}", stance=rng.randrange(-2, 3),
                     as_of=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}")
        else:
            c.update(entity=f"e{rng.randrange(500)}", metric=f"m{rng.randrange(20)}",
                     period=f"2026-{1 + i % 12:02d}", value=round(rng.uniform(0, 100), 2))
        w(c)
