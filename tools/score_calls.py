#!/usr/bin/env python3
"""How close a draft comes to an analyst's hand coding of real calls
(tests/data/calls/*: issue #20, DESIGN §8).

    CLAIMKIT_LIBRARY=build/test/core/libclaimkit.so \\
        /usr/bin/python3 tools/score_calls.py [--misses] [--json] [CALL_DIR ...]

Each call directory holds `call.txt` (the text as published), `codebook.json`
(written before any draft was looked at: the source, with its `published`
date and `entity`, actors, entities, metrics, questions with cues) and
`coding.json` (every figure and opinion coded by hand). For each call the
codebook and the coding are imported into an in-memory database, the text
is drafted with the codebook's first source and its `published` date, and
the draft is compared with the coding.

Figures. A drafted figure (a claim with `quantity`) and a coded observation
are *near* when their locators are the same segment or adjacent ones (in the
order `segments()` gives), and *alike* when their values are equal in
magnitude within rounding (relative 1e-6): a figure whose sign the draft
got wrong still matches, and then counts against "values right". Matching
is one to one: pairs in the same segment and with the same sign are taken
first, then in the order of the text.
  - figures coded: the coding's observations;
  - drafted (matched): coded figures that some drafted figure matches;
  - all four right: matched figures whose entity, metric, actor and period
    are the coding's (a null the coding also leaves null is right);
  - wrong guesses: over the matched figures, fields the draft filled (not
    null) that differ from the coding, over all fields it filled;
  - values right: matched figures whose value, lo, hi (within 1e-6; both
    unbounded counts as equal) and unit are the coding's; a drafted unit is
    its quantity's, else the claim's `unit`, else its drafted metric's, as an
    import would store it (DESIGN §2);
  - false figures: drafted figures that match no coded figure.
Views. A drafted view is right when a coded view has the same question,
stance and actor at a near locator; matched one to one. Recall: coded views
matched over coded views; precision: drafted views matched over drafted
views. The "no actor" figures ask the same without the actor.

New codebook fields (sources[].entity, metrics[].change_of/basis/
point_in_time, DESIGN §2) are stripped, with a warning on stderr, only when
the library refuses the codebook as it stands, so that the scorer runs
against a library from before them as well.
"""
import json
import math
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
CALLS = ROOT / "tests" / "data" / "calls"
FIELDS = ("entity", "metric", "actor", "period")
NEW_FIELDS = {"sources": ("entity",), "metrics": ("change_of", "basis", "point_in_time")}
TARGETS = {"all_four": 0.80, "wrong": 0.05, "false_per_call": 1,
           "views_recall": 0.85, "views_precision": 0.90}


def _close(a, b):
    if a is None or b is None:
        return a is b
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def _without_new_fields(pack):
    out = dict(pack)
    for key, names in NEW_FIELDS.items():
        out[key] = [{k: v for k, v in rec.items() if k not in names}
                    for rec in pack.get(key, [])]
    return out


def import_codebook(db, pack, warn=sys.stderr):
    """Imports the codebook; strips the new §2 fields only if refused."""
    import claimkit
    try:
        db.import_pack(pack)
        return False
    except claimkit.InvalidError as first:
        stripped = _without_new_fields(pack)
        if stripped == pack:
            raise
        try:
            db.import_pack(stripped)
        except claimkit.InvalidError:
            raise first
        print(f"warning: this library refuses the codebook ({first}); scored "
              f"without {', '.join(f'{k}[].{n}' for k, v in NEW_FIELDS.items() for n in v)}",
              file=warn)
        return True


def match_figures(coded, drafted, order):
    """Pairs (i, j) of coded[i] and drafted[j], one to one. Both are dicts
    with locator and value; order maps a locator to its segment's index."""
    pairs = []
    for i, c in enumerate(coded):
        for j, d in enumerate(drafted):
            gap = abs(order.get(c["locator"], -9) - order.get(d["locator"], 9))
            if gap > 1 or not _close(abs(c["value"]), abs(d["value"])):
                continue
            same_sign = (c["value"] < 0) == (d["value"] < 0)
            pairs.append(((gap, not same_sign, j, i), i, j))
    pairs.sort()
    used_c, used_d, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_c and j not in used_d:
            used_c.add(i)
            used_d.add(j)
            out.append((i, j))
    return sorted(out)


def match_views(coded, drafted, order, with_actor=True):
    """Pairs (i, j) of coded and drafted views: same question and stance
    (and actor), near locators; one to one, nearest first."""
    keys = ("question", "stance", "actor") if with_actor else ("question", "stance")
    pairs = []
    for i, c in enumerate(coded):
        for j, d in enumerate(drafted):
            gap = abs(order.get(c["locator"], -9) - order.get(d["locator"], 9))
            if gap <= 1 and all(c[k] == d.get(k) for k in keys):
                pairs.append((gap, j, i))
    pairs.sort()
    used_c, used_d, out = set(), set(), []
    for _, j, i in pairs:
        if i not in used_c and j not in used_d:
            used_c.add(i)
            used_d.add(j)
            out.append((i, j))
    return sorted(out)


def score_figures(coded, drafted, order):
    """The figure counts of one call (see the module's doc) and its misses."""
    pairs = match_figures(coded, drafted, order)
    s = {"coded": len(coded), "drafted": len(drafted), "matched": len(pairs),
         "all_four": 0, "filled": 0, "wrong": 0, "values_right": 0, "false": 0}
    misses = []
    matched_c = {i for i, _ in pairs}
    matched_d = {j for _, j in pairs}
    for i, j in pairs:
        c, d = coded[i], drafted[j]
        diff = {k: (d.get(k), c.get(k)) for k in FIELDS if d.get(k) != c.get(k)}
        s["all_four"] += not diff
        filled = [k for k in FIELDS if d.get(k) is not None]
        s["filled"] += len(filled)
        s["wrong"] += sum(k in diff for k in filled)
        values = all(_close(c[k], d[k]) for k in ("value", "lo", "hi")) and \
            c["unit"] == d["unit"]
        s["values_right"] += values
        if diff:
            misses.append(("fields", c["locator"], d["quantity"],
                           {k: f"{v[0]} (coded {v[1]})" for k, v in diff.items()}))
        if not values:
            misses.append(("value", c["locator"], d["quantity"],
                           {k: f"{d[k]} (coded {c[k]})" for k in ("value", "lo", "hi", "unit")
                            if (k == "unit" and c[k] != d[k]) or
                            (k != "unit" and not _close(c[k], d[k]))}))
    for i, c in enumerate(coded):
        if i not in matched_c:
            misses.append(("not drafted", c["locator"], c.get("quantity") or c["value"],
                           {k: c.get(k) for k in FIELDS}))
    for j, d in enumerate(drafted):
        if j not in matched_d:
            s["false"] += 1
            misses.append(("false figure", d["locator"], d["quantity"], d.get("quote", "")[:80]))
    return s, misses


def score_views(coded, drafted, order):
    pairs = match_views(coded, drafted, order)
    loose = match_views(coded, drafted, order, with_actor=False)
    s = {"views": len(coded), "drafted_views": len(drafted), "views_right": len(pairs),
         "views_right_no_actor": len(loose)}
    misses = []
    got_c = {i for i, _ in pairs}
    got_d = {j for _, j in pairs}
    for i, c in enumerate(coded):
        if i not in got_c:
            misses.append(("view not drafted", c["locator"], f"{c['question']} {c['stance']:+d}",
                           c["actor"]))
    for j, d in enumerate(drafted):
        if j not in got_d:
            misses.append(("false view", d["locator"], f"{d['question']} {d['stance']:+d}",
                           f"{d.get('actor')}: {d.get('quote', '')[:60]}"))
    return s, misses


def _drafted_figure(db, claim, units):
    """A drafted figure with its value, lo, hi and unit: its words read
    again, or the number a draft writes when the sign came from the words
    before them (then its words are in the quote)."""
    if "quantity" not in claim:
        unit = claim.get("unit") or units.get(claim.get("metric"), "") or ""
        return dict(claim, quantity=claim.get("quote", "")[:40], unit=unit,
                    lo=claim["value"], hi=claim["value"])
    q = claim["quantity"]
    v = {part: db.quantity(q, 0, part) for part in ("value", "lo", "hi")}
    v = {k: (math.inf if x is None and k == "hi" else -math.inf if x is None else x)
         for k, x in v.items()}
    unit = db.quantity(q, 0, "unit") or claim.get("unit") or \
        units.get(claim.get("metric"), "") or ""
    return dict(claim, unit=unit, **v)


def score_call(directory, warn=sys.stderr):
    """Scores one call directory: (counts, misses, stripped)."""
    import claimkit
    directory = pathlib.Path(directory)
    codebook = json.loads((directory / "codebook.json").read_text(encoding="utf-8"))
    coding = json.loads((directory / "coding.json").read_text(encoding="utf-8"))
    text = (directory / "call.txt").read_text(encoding="utf-8")
    source = codebook["sources"][0]
    with claimkit.open(frames=False) as db:
        stripped = import_codebook(db, codebook, warn)
        db.import_pack(coding)
        order = {}
        for n, seg in enumerate(db.segments(text)):
            order.setdefault(seg["locator"], n)
        units = {m["id"]: m.get("unit", "") for m in db.sql("SELECT id, unit FROM metrics")}
        coded = [dict(o) for o in db.sql(
            "SELECT entity, metric, actor, period, locator, value, lo, hi, unit, quantity "
            "FROM observations ORDER BY seq")]
        for o in coded:
            o["lo"] = -math.inf if o["lo"] is None else o["lo"]
            o["hi"] = math.inf if o["hi"] is None else o["hi"]
        views = [dict(v) for v in db.sql(
            "SELECT question, stance, actor, locator FROM views ORDER BY seq")]
        draft = db.draft(text, source["id"], source["published"])
        drafted = [_drafted_figure(db, c, units) for c in draft["claims"] if "question" not in c]
        drafted_views = [c for c in draft["claims"] if "question" in c]
    figures, misses = score_figures(coded, drafted, order)
    opinions, view_misses = score_views(views, drafted_views, order)
    return dict(figures, **opinions), misses + view_misses, stripped


def _pct(a, b):
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "–"


def table(results):
    """The markdown table of {name: counts}, with a total row."""
    head = ("| call | figures coded | drafted (matched) | all four right | wrong guesses "
            "| values right | false figures | views recall | views precision "
            "| views recall, no actor |")
    rows = [head, "|" + "---|" * 10]
    total = {}
    for name, s in list(results.items()) + [("**total**", None)]:
        if s is None:
            s = total
        else:
            for k, v in s.items():
                total[k] = total.get(k, 0) + v
        rows.append(
            f"| {name} | {s['coded']} | {_pct(s['matched'], s['coded'])} "
            f"| {_pct(s['all_four'], s['coded'])} | {_pct(s['wrong'], s['filled'])} "
            f"| {_pct(s['values_right'], s['matched'])} | {s['false']} "
            f"| {_pct(s['views_right'], s['views'])} | {_pct(s['views_right'], s['drafted_views'])} "
            f"| {_pct(s['views_right_no_actor'], s['views'])} |")
    t = TARGETS
    rows.append("")
    rows.append(f"Targets (issue #20): all four right ≥ {t['all_four']:.0%} of coded figures, "
                f"wrong guesses ≤ {t['wrong']:.0%} of filled fields, every matched value right, "
                f"≤ {t['false_per_call']} false figure per call, views recall ≥ "
                f"{t['views_recall']:.0%} and precision ≥ {t['views_precision']:.0%}.")
    return "\n".join(rows)


def call_dirs(args):
    dirs = [pathlib.Path(a) for a in args] or sorted(
        p for p in CALLS.iterdir() if (p / "call.txt").exists())
    return dirs


def main(argv):
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    flags = {a for a in argv if a.startswith("--")}
    results, all_misses = {}, {}
    for d in call_dirs([a for a in argv if not a.startswith("--")]):
        results[d.name], all_misses[d.name], _ = score_call(d)
    if "--json" in flags:
        print(json.dumps(results, indent=1, sort_keys=True))
    else:
        print(table(results))
    if "--misses" in flags:
        for name, misses in all_misses.items():
            print(f"\n## {name}")
            for m in misses:
                print("-", " | ".join(str(x) for x in m))


if __name__ == "__main__":
    main(sys.argv[1:])
