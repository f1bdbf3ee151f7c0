"""The real calls of tests/data/calls (issue #20): every codebook and coding
imports and holds together, the scorer's matching is right on cases built
by hand, and the draft's scores stay at the floors recorded in floors.json."""
import importlib.util
import io
import json
import math

import pytest

import claimkit
from conftest import SOURCE

CALLS = SOURCE / "tests" / "data" / "calls"
DIRS = sorted(p for p in CALLS.iterdir() if (p / "call.txt").exists())
FLOORS = json.loads((CALLS / "floors.json").read_text(encoding="utf-8"))["calls"]

_spec = importlib.util.spec_from_file_location("score_calls", SOURCE / "tools" / "score_calls.py")
score_calls = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_calls)


def load(d, name):
    return json.loads((d / name).read_text(encoding="utf-8"))


def test_there_are_calls_in_english_and_chinese():
    langs = [load(d, "codebook.json")["sources"][0]["lang"] for d in DIRS]
    assert len(DIRS) >= 3 and "en" in langs and langs.count("zh") >= 2
    assert sorted(FLOORS) == [d.name for d in DIRS]


@pytest.mark.parametrize("d", DIRS, ids=lambda d: d.name)
def test_the_coding_imports_and_holds_together(d):
    codebook, coding = load(d, "codebook.json"), load(d, "coding.json")
    text = (d / "call.txt").read_text(encoding="utf-8")
    source = codebook["sources"][0]
    assert source["published"] and source["entity"] in {e["id"] for e in codebook["entities"]}
    # the new §2 fields, checked here too since a library from before them keeps them unread
    metrics = {m["id"]: m for m in codebook["metrics"]}
    for m in metrics.values():
        assert m.get("change_of", m["id"]) in metrics and m.get("change_of") != m["id"]
        assert m.get("basis", "yoy") in ("yoy", "qoq") and ("basis" not in m or "change_of" in m)
        assert isinstance(m.get("point_in_time", False), bool)
    changes = [(m["change_of"], m.get("basis")) for m in metrics.values() if "change_of" in m]
    assert len(changes) == len(set(changes)), "two change metrics of one metric, one basis"
    assert (d / "README.md").read_text(encoding="utf-8").count("http") >= 1
    with claimkit.open(frames=False) as db:
        score_calls.import_codebook(db, codebook)
        db.import_pack(coding)  # every reference and stance checked, or it raises
        locators = {s["locator"] for s in db.segments(text)}
        claims = db.sql("SELECT source, locator, kind FROM claims")
    assert len(claims) == len(coding["claims"])
    assert {c["source"] for c in claims} == {source["id"]}
    assert {c["locator"] for c in claims} <= locators
    assert {c["kind"] for c in claims} == {"view", "observation"}


def fig(locator, value, **fields):
    return dict({"locator": locator, "value": value, "lo": value, "hi": value,
                 "unit": "%", "quantity": str(value)}, **fields)


def test_matching_is_one_to_one_near_and_by_magnitude():
    order = {"p1": 0, "p2": 1, "p3": 2, "p4": 3}
    base = {"entity": "e", "metric": "m", "actor": "a", "period": "2025-Q3"}
    coded = [fig("p1", 0.1, **base), fig("p1", 0.1, **base), fig("p2", -0.05, **base),
             fig("p4", 7.0, **base), fig("p1", 3.0, **dict(base, period=None))]
    drafted = [fig("p1", 0.1, **base),                           # the first 0.1
               fig("p2", 0.1, **dict(base, metric="x")),         # the second, a segment on
               fig("p2", 0.05, **dict(base, period=None)),       # sign wrong: matched, value not
               fig("p1", 7.0, **base),                           # too far from p4: false
               fig("p1", 3.0, **dict(base, entity=None, period="2025")),
               fig("p3", 0.1, **base)]                           # no third 0.1: false
    s, misses = score_calls.score_figures(coded, drafted, order)
    assert score_calls.match_figures(coded, drafted, order) == [(0, 0), (1, 1), (2, 2), (4, 4)]
    assert (s["coded"], s["matched"], s["false"]) == (5, 4, 2)
    assert s["all_four"] == 1  # metric x, period null, period guessed: wrong; the first is right
    # filled: 4 + 4 + 3 + 3; wrong: metric x, period 2025 where the coding has none
    assert (s["filled"], s["wrong"]) == (14, 2)
    assert s["values_right"] == 3
    assert [m[0] for m in misses].count("not drafted") == 1
    assert [m[0] for m in misses].count("false figure") == 2


def test_values_compare_bounds_and_units():
    order = {"p1": 0}
    over = fig("p1", 0.8, hi=math.inf)
    assert score_calls.score_figures([over], [fig("p1", 0.8, hi=math.inf)], order)[0]["values_right"] == 1
    assert score_calls.score_figures([over], [fig("p1", 0.8)], order)[0]["values_right"] == 0
    assert score_calls.score_figures([fig("p1", 2.0)], [fig("p1", 2.0, unit="pp")],
                                     order)[0]["values_right"] == 0


def test_views_need_question_stance_actor_and_a_near_locator():
    order = {"p1": 0, "p2": 1, "p3": 2}
    coded = [{"locator": "p1", "question": "q", "stance": 1, "actor": "a"},
             {"locator": "p1", "question": "q", "stance": 1, "actor": "a"},
             {"locator": "p3", "question": "q", "stance": -1, "actor": "b"}]
    drafted = [{"locator": "p2", "question": "q", "stance": 1, "actor": "a"},
               {"locator": "p1", "question": "q", "stance": 1, "actor": None},
               {"locator": "p1", "question": "q", "stance": -1, "actor": "b"},
               {"locator": "p3", "question": "r", "stance": -1, "actor": "b"}]
    s, misses = score_calls.score_views(coded, drafted, order)
    assert (s["views"], s["drafted_views"], s["views_right"], s["views_right_no_actor"]) == \
        (3, 4, 1, 2)
    assert [m[0] for m in misses].count("view not drafted") == 2
    assert [m[0] for m in misses].count("false view") == 3


class Refusing:
    """A library that refuses the new codebook fields (DESIGN §2)."""
    def __init__(self):
        self.packs = []

    def import_pack(self, pack):
        if any("entity" in s for s in pack.get("sources", [])) or \
                any("change_of" in m for m in pack.get("metrics", [])):
            raise claimkit.InvalidError("/sources/0/entity: unknown field")
        self.packs.append(pack)


def test_new_fields_are_stripped_only_when_refused():
    pack = load(CALLS / "xiaomi-q3-2025", "codebook.json")
    lib, warn = Refusing(), io.StringIO()
    assert score_calls.import_codebook(lib, pack, warn) is True
    assert "refuses the codebook" in warn.getvalue()
    kept = lib.packs[0]
    assert all("entity" not in s for s in kept["sources"])
    assert all("change_of" not in m and "basis" not in m for m in kept["metrics"])
    assert [a["id"] for a in kept["actors"]] == [a["id"] for a in pack["actors"]]
    with claimkit.open(frames=False) as db:  # this library knows the fields: nothing stripped
        warn = io.StringIO()
        assert score_calls.import_codebook(db, pack, warn) is False and not warn.getvalue()
    bad = dict(pack, questions=[dict(pack["questions"][0], scale=[0, 1])])
    with claimkit.open(frames=False) as db, pytest.raises(claimkit.InvalidError):
        score_calls.import_codebook(db, bad, io.StringIO())  # a real fault is not stripped away


@pytest.mark.parametrize("d", DIRS, ids=lambda d: d.name)
def test_the_draft_holds_its_floors(d):
    s, misses, _ = score_calls.score_call(d, io.StringIO())
    floor, ceiling = FLOORS[d.name]["floors"], FLOORS[d.name]["ceilings"]
    report = "\n".join(" | ".join(str(x) for x in m) for m in misses)
    for k, v in floor.items():
        assert s[k] >= v, f"{d.name}: {k} {s[k]} < floor {v}\n{report}"
    assert s["false"] <= ceiling["false"], report
    assert s["wrong"] <= ceiling["wrong_rate"] * s["filled"], report
    # the yardstick itself: every coded figure counted once, matched or missed
    assert s["matched"] + sum(m[0] == "not drafted" for m in misses) == s["coded"]
    assert s["matched"] + s["false"] == s["drafted"]
    assert s["values_right"] <= s["matched"] and s["all_four"] <= s["matched"]
