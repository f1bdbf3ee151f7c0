"""A claims() frame gives every figure numbers -- a figure given in words
(its quantity text), as a point or as a range -- the ones import stored, so
a frame's value, lo and hi columns can be summed; and the frame still
imports back unchanged, and an edit that contradicts itself is refused."""
import math
import random

import pytest

import claimkit

DIMENSIONS = {"sources": [{"id": "m1"}],
              "actors": [{"id": "ms", "name": "Morgan Stanley"}],
              "entities": [{"id": "deepseek", "name": "DeepSeek"}],
              "metrics": [{"id": "users", "name": "users"}],
              "questions": [{"id": "parity", "text": "Open equals closed?",
                             "scale": [-2, 2]}]}
# figures as analysts' notes write them: words, bounds, units, ranges
WORDS = ["两百多亿美元", "超过了120万亿", "突破了140万亿", "跌了15%", "20.6万亿",
         "增长了超过40%", "3-5亿", "约三千万", "不到1000万", "1.5 billion",
         "up 19.8%", "二十亿", "30 bp", "more than 2 million"]


def generated_figures(rnd, n):
    claims = []
    for i in range(n):
        c = {"id": f"f{i}", "source": "m1", "actor": "ms", "entity": "deepseek",
             "metric": "users", "period": f"2026-{rnd.randrange(1, 13):02d}"}
        form = rnd.randrange(3)
        if form == 0:
            c["quantity"] = rnd.choice(WORDS)
        elif form == 1:
            c["value"] = rnd.randrange(10 ** 9) / rnd.choice([1, 3, 7])
        else:
            lo = rnd.randrange(10 ** 6) / rnd.choice([1, 3])
            c.update(lo=lo, hi=lo + rnd.randrange(1, 10 ** 6) / rnd.choice([1, 7]))
        claims.append(c)
        if rnd.random() < 0.3:
            claims.append({"id": f"v{i}", "source": "m1", "actor": "ms",
                           "question": "parity", "stance": rnd.randrange(-2, 3)})
    return claims


@pytest.mark.parametrize("seed", range(4))
def test_every_figure_has_the_numbers_import_stored(seed):
    rnd = random.Random(seed)
    with claimkit.open() as db:
        db.import_pack(DIMENSIONS)
        db.import_pack({"claims": generated_figures(rnd, 60)})
        frame = db.claims()
        stored = db.sql("SELECT id, value, lo, hi FROM observations").set_index("id")
        figures = frame[frame["question"].isna()].set_index("id")
        assert len(figures) == len(stored) > 0
        for column in ("value", "lo", "hi"):
            assert figures[column].dtype == "float64"
            assert not figures[column].isna().any(), column
            assert list(figures[column]) == list(stored.loc[figures.index, column])
        worded = figures[figures["quantity"].notna()]
        assert len(worded) > 0
        for text, row in worded.iterrows():
            parsed = db.quantities(row["quantity"]).iloc[0]
            assert (row["value"], row["lo"], row["hi"]) == (
                parsed["value"], parsed["lo"], parsed["hi"])
        assert math.isfinite(figures["value"].sum())
        views = frame[frame["question"].notna()]
        assert views[["value", "lo", "hi"]].isna().all().all()  # views have none
        # the records themselves (frames=False) stay as a pack holds them
        records = claimkit.open(frames=False)
        records.import_pack(db.export())
        assert all("lo" not in c for c in records.claims() if "quantity" in c)
        records.close()

        # the frame imports back as it came: nothing changes
        before = db.export()
        db.import_pack(frame)
        assert db.export() == before


def test_a_frame_edit_that_contradicts_itself_is_refused():
    with claimkit.open() as db:
        db.import_pack(DIMENSIONS)
        db.import_pack({"claims": [
            {"id": "w", "source": "m1", "actor": "ms", "entity": "deepseek",
             "metric": "users", "quantity": "超过了120万亿"},
            {"id": "p", "source": "m1", "actor": "ms", "entity": "deepseek",
             "metric": "users", "value": 5},
            {"id": "r", "source": "m1", "actor": "ms", "entity": "deepseek",
             "metric": "users", "lo": 2, "hi": 4}]})
        frame = db.claims()
        assert list(frame["value"]) == [1.2e14, 5, 3]
        assert list(frame["hi"]) == [math.inf, 5, 4]
        before = db.export()
        worded = frame.copy()
        worded.loc[0, "value"] = 1.3e14
        with pytest.raises(claimkit.InvalidError,
                           match=r"^/claims/0: value 1\.3e\+14, lo 1\.2e\+14, hi inf "
                                 r"are not what quantity '超过了120万亿' says"):
            db.import_pack(worded)
        point = frame.copy()
        point.loc[1, "value"] = 6
        with pytest.raises(claimkit.InvalidError,
                           match=r"^/claims/1: value 6 is not the middle of lo 5 "):
            db.import_pack(point)
        assert db.export() == before
        # the edit made whole: the new quantity alone, the new value alone
        fixed = frame.copy()
        fixed.loc[0, ["quantity", "value", "lo", "hi"]] = ["130万亿", None, None, None]
        fixed.loc[1, ["value", "lo", "hi"]] = [6, None, None]
        db.import_pack(fixed)
        again = db.claims()
        assert list(again["value"]) == [1.3e14, 6, 3]
        assert list(again["hi"]) == [1.3e14, 6, 4]


def test_a_drafts_frame_has_the_numbers_and_gives_back_the_draft():
    """A draft's frame (import_pack(draft) imports it) shows its figures'
    numbers as import would store them, and gives the drafted claims back
    unchanged when it is not edited."""
    k3 = claimkit_source() / "examples" / "k3-call"
    with claimkit.open() as db:
        db.import_pack(k3 / "codebook.json")
        draft = db.draft((k3 / "call.txt").read_text(encoding="utf-8"),
                         source="k3-call")
        figures = [c for c in draft["claims"] if "question" not in c]
        assert figures and all("quantity" in c and "value" not in c for c in figures)
        frame = draft.frame
        rows = frame[frame["question"].isna()]
        assert len(rows) == len(figures)
        assert not rows[["value", "lo", "hi"]].isna().any().any()
        for (_, row), claim in zip(rows.iterrows(), figures):
            parsed = db.quantities(claim["quantity"]).iloc[0]
            assert (row["value"], row["lo"], row["hi"]) == (
                parsed["value"], parsed["lo"], parsed["hi"])
        # (a null field is a blank cell, which the frame leaves out)
        assert draft.to_dict(db._parsed)["claims"] == [
            {k: v for k, v in c.items() if v is not None} for c in draft["claims"]]


def claimkit_source():
    from conftest import SOURCE
    return SOURCE
