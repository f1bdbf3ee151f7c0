"""quantities() on sentences as published (tests/data/quantities/
real_sentences.json, each with its source's address): every figure read,
with its value, bounds, qualifier and unit, and nothing else -- citation
marks, index names and restatements included."""
import json
import math

import pytest

import claimkit
from conftest import SOURCE

DATA = json.loads((SOURCE / "tests" / "data" / "quantities" / "real_sentences.json")
                  .read_text(encoding="utf-8"))["sentences"]


def close(got, want):
    if isinstance(want, str):  # "inf", "-inf"
        return got == float(want)
    return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15)


@pytest.fixture(scope="module")
def db():
    with claimkit.open(frames=False) as d:
        yield d


def test_every_sentence_names_its_source():
    assert len(DATA) >= 10
    assert all(s["url"].startswith("http") and s["want"] for s in DATA)
    assert any(ord(ch) > 0x3000 for s in DATA for ch in s["text"])  # Chinese too


@pytest.mark.parametrize("sentence", DATA, ids=lambda s: s["text"][:40])
def test_the_figures_of_a_published_sentence(db, sentence):
    got = db.quantities(sentence["text"])
    assert [q["text"] for q in got] == [w[0] for w in sentence["want"]]
    for q, (_, value, lo, hi, qualifier, unit) in zip(got, sentence["want"]):
        assert close(q["value"], value), (q, value)
        assert close(q["lo"], lo) and close(q["hi"], hi), q
        assert (q["qualifier"], q["unit"]) == (qualifier, unit), q
