#!/usr/bin/env python3
"""Writes a desk-sized claim stream for the scale benchmarks, as JSON Lines.

    gen_scale.py CLAIMS OUT.jsonl [--big-question VIEWS ACTORS]

Half the claims are views and half observations, in the shape of a desk's
database: 1,000 actors (domestic and overseas brokers), 100 questions with
about CLAIMS / 200 views each (1,500 at 300,000 claims), and 500 entities
with one (metric, period) key each, about CLAIMS / 1,000 observations per
key (300 at 300,000), quotes in Chinese.  With --big-question, one more
question gets VIEWS views from ACTORS actors of its own.  Deterministic:
runs compare.
"""
import json
import random
import sys


def main(argv):
    n, out = int(argv[1]), argv[2]
    big = None
    if "--big-question" in argv:
        i = argv.index("--big-question")
        big = (int(argv[i + 1]), int(argv[i + 2]))
    rng = random.Random(20261201)
    actors = 1000
    with open(out, "w", encoding="utf-8") as f:
        def w(rec):
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        w({"type": "source", "id": "desk", "title": "研究纪要汇编", "kind": "minutes",
           "published": "2026-04-28", "lang": "zh"})
        w({"type": "framework", "id": "fw", "name": "框架"})
        for a in range(actors):
            w({"type": "actor", "id": f"a{a}", "name": f"机构{a}",
               "region": "domestic" if a % 3 else "overseas", "kind": "broker"})
        for q in range(100):
            w({"type": "question", "id": f"q{q}", "framework": "fw", "scale": [-2, 2],
               "text": f"问题{q}：开源模型能否追平闭源？"})
        for m in range(20):
            w({"type": "metric", "id": f"m{m}", "unit": "points", "framework": "fw"})
        for e in range(500):
            w({"type": "entity", "id": f"e{e}", "name": f"实体{e}"})
        for i in range(n):
            c = {"type": "claim", "source": "desk", "actor": f"a{rng.randrange(actors)}",
                 "locator": f"{i // 60 % 60:02d}:{i % 60:02d}",
                 "quote": f"第{i}条：我们认为估值与算力需求仍有上行空间"}
            if i % 2:
                c.update(question=f"q{rng.randrange(100)}", stance=rng.randrange(-2, 3),
                         as_of=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}")
            else:
                e = rng.randrange(500)
                c.update(entity=f"e{e}", metric=f"m{e % 20}", period=f"2026-{1 + e % 12:02d}",
                         value=round(rng.uniform(0, 100), 2),
                         as_of=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}")
            w(c)
        if big:
            views, many = big
            w({"type": "question", "id": "big", "framework": "fw", "scale": [-3, 3]})
            for a in range(many):
                w({"type": "actor", "id": f"big{a}", "region": "domestic" if a % 2 else "overseas",
                   "kind": "buy-side" if a % 5 else "broker"})
            for i in range(views):
                w({"type": "claim", "source": "desk", "actor": f"big{rng.randrange(many)}",
                   "question": "big", "stance": rng.randrange(-3, 4),
                   "as_of": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                   "quote": f"大问题第{i}条"})


if __name__ == "__main__":
    main(sys.argv)
