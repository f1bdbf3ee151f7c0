#!/usr/bin/env python3
"""How much of the example pack a draft of its minutes reproduces, with
the pack's own codebook (docs/drafting.md).

    CLAIMKIT_LIBRARY=build/test/core/libclaimkit.so \\
        python3 tools/draft_accuracy.py [--misses]

Observations: each of the pack's observations (but the release date, an
event the text does not write as a figure) against the drafted one at the
same minute with the same value and bounds: are entity, metric and actor
the pack's?  Views: a drafted view is right when the pack has a view at
the same minute on the same question with the same stance; precision is
right drafted views over drafted views, recall the pack's views found over
the pack's views; "with the actor" also asks for the pack's actor.
"""
import math
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACK = ROOT / "examples" / "deepseek-v4" / "claims.json"
MINUTES = ROOT / "examples" / "deepseek-v4" / "minutes.txt"


def _parts(db, text):
    parts = []
    for part in ("value", "lo", "hi"):
        v = db.quantity(text, 0, part)
        parts.append(math.inf if v is None else v)
    return tuple(parts)


def _amount(db, claim):
    """(value, lo, hi) of a drafted figure: its words read again, or the
    number a draft writes when the sign came from the words before."""
    if "quantity" in claim:
        return _parts(db, claim["quantity"])
    return (claim["value"],) * 3


def measure(db):
    """The figures, from a handle holding the example pack."""
    draft = db.draft(MINUTES.read_text(encoding="utf-8"), "dsv4-minutes", "2026-04-28")
    drafted_obs = [c for c in draft["claims"] if "question" not in c]
    drafted_views = [c for c in draft["claims"] if "question" in c]
    observations = db.sql(
        "SELECT entity, metric, actor, locator, value, lo, hi FROM observations "
        "WHERE metric <> 'release'")
    views = db.sql("SELECT actor, question, stance, locator FROM views")
    out = {"observations": len(observations), "entity": 0, "metric": 0, "actor": 0,
           "all_three": 0, "misses": []}
    for o in observations:
        want = tuple(math.inf if v is None else v for v in (o["value"], o["lo"], o["hi"]))
        same = [c for c in drafted_obs
                if c["locator"] == o["locator"] and _amount(db, c) == want]
        best = max(same, key=lambda c: sum(c[k] == o[k] for k in ("entity", "metric", "actor")),
                   default=None)
        if best is None:
            out["misses"].append(("observation not drafted", dict(o)))
            continue
        hits = {k: best[k] == o[k] for k in ("entity", "metric", "actor")}
        for k, hit in hits.items():
            out[k] += hit
        out["all_three"] += all(hits.values())
        if not all(hits.values()):
            out["misses"].append(("observation", dict(o), {k: best[k] for k in hits}))
    key = lambda c: (c["locator"], c["question"], c["stance"])
    pack_keys = {key(v) for v in views}
    pack_actors = {key(v) + (v["actor"],) for v in views}
    right = [c for c in drafted_views if key(c) in pack_keys]
    right_actor = [c for c in drafted_views if key(c) + (c["actor"],) in pack_actors]
    found = {key(c) for c in right}
    found_actor = {key(c) + (c["actor"],) for c in right_actor}
    out.update(views=len(views), drafted_views=len(drafted_views),
               right_views=len(right), right_views_actor=len(right_actor),
               found_views=len(found), found_views_actor=len(found_actor))
    for c in drafted_views:
        if key(c) not in pack_keys:
            out["misses"].append(("drafted view not in the pack", c))
    for v in views:
        if key(v) not in found:
            out["misses"].append(("view not drafted", dict(v)))
    return out


def report(m):
    def pct(a, b):
        return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "0/0"
    return "\n".join([
        f"observations: entity {pct(m['entity'], m['observations'])}, "
        f"metric {pct(m['metric'], m['observations'])}, "
        f"actor {pct(m['actor'], m['observations'])}, "
        f"all three {pct(m['all_three'], m['observations'])}",
        f"views: precision {pct(m['right_views'], m['drafted_views'])}, "
        f"recall {pct(m['found_views'], m['views'])}; with the actor: precision "
        f"{pct(m['right_views_actor'], m['drafted_views'])}, recall "
        f"{pct(m['found_views_actor'], m['views'])}",
    ])


def main(argv):
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    import claimkit
    with claimkit.open(frames=False) as db:
        db.import_pack(PACK)
        m = measure(db)
    print(report(m))
    if "--misses" in argv:
        for miss in m["misses"]:
            print(*miss)


if __name__ == "__main__":
    main(sys.argv[1:])
