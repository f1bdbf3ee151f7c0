"""db.value and db.consensus, the warm path (issue #23): plain strings go
through ck_value / ck_consensus, anything else the general way, and both
give the same answers and the same errors; another process's import is
seen by the very next call."""
import math
import os
import subprocess
import sys

import pytest

import claimkit
from conftest import PACK, SOURCE


@pytest.fixture
def db():
    with claimkit.open(frames=False) as d:
        d.import_pack(PACK)
        yield d


KEYS = [("deepseek", "aa-index", "2026-03"), ("deepseek", "aa-index"),
        ("qwen", "mau", "", "hi"), ("deepseek", "aa-index", "2026-03", "lo")]


@pytest.mark.parametrize("args", KEYS)
def test_the_shortcut_answers_what_the_general_call_does(db, args):
    general = db._invoke(b"value", db._params["value"], args, {})
    for _ in range(3):  # computed, then kept
        for got in (db.value(*args), db.call("value", *args)):
            assert got == general or (math.isnan(got) and math.isnan(general))


@pytest.mark.parametrize("call, error, text", [
    (lambda d: d.value("deepseek", "aa-index", "1999"), claimkit.NotFoundError,
     "no observations"),
    (lambda d: d.value("deepseek", "aa-index", "2026-03", "middle"), claimkit.InvalidError,
     "middle"),
    (lambda d: d.value("deepseek", "aa-index", 2026), claimkit.NotFoundError, "2026"),
    (lambda d: d.value("deepseek\0x", "aa-index"), claimkit.Error, ""),
    (lambda d: d.value("deepseek", "aa-index", "2026-03", "value", "x"), claimkit.InvalidError,
     "at most 4"),
    (lambda d: d.value("deepseek", "aa-index", "2026-03", ""), claimkit.InvalidError, ""),
    (lambda d: d.consensus("open-closed-parity", "median2"), claimkit.InvalidError,
     "unknown measure"),
    (lambda d: d.consensus("q", qestion="x"), claimkit.InvalidError, "qestion"),
    (lambda d: d.call("value", "deepseek", "aa-index", "1999"), claimkit.NotFoundError,
     "no observations"),
    (lambda d: d.call("consensus", "q", question="x"), claimkit.InvalidError, "given twice"),
])
def test_what_the_shortcut_does_not_take_fails_as_before(db, call, error, text):
    with pytest.raises(error) as e:
        call(db)
    assert text in str(e.value)


def test_a_nul_never_cuts_an_argument_short(db):
    # C would read "deepseek\0x" as "deepseek": a real answer for a wrong key
    with pytest.raises(claimkit.Error):
        db.value("deepseek", "aa-index\0junk")
    assert db.value("deepseek", "aa-index") == db._invoke(
        b"value", db._params["value"], ("deepseek", "aa-index"), {})


def test_a_lone_surrogate_is_refused_not_mangled(db):
    with pytest.raises((claimkit.Error, UnicodeError)):
        db.value("deep\udcffseek", "aa-index")


def test_a_closed_database_refuses_the_shortcut(db):
    value = db.value
    db.close()
    with pytest.raises(claimkit.MisuseError):
        value("deepseek", "aa-index")


def test_another_process_import_is_seen_by_the_next_call(tmp_path):
    path = tmp_path / "desk.db"
    pack = {"actors": [{"id": "a"}], "entities": [{"id": "e"}], "metrics": [{"id": "m"}],
            "claims": [{"actor": "a", "entity": "e", "metric": "m", "value": 1}]}
    with claimkit.open(path) as d:
        d.import_pack(pack)
    env = dict(os.environ, PYTHONPATH=str(SOURCE / "bindings" / "python"))
    with claimkit.open(path, readonly=True) as reader:
        for value in range(2, 6):
            assert [reader.value("e", "m") for _ in range(3)] == [value - 1] * 3
            subprocess.run([sys.executable, "-c",
                            "import claimkit, sys; db = claimkit.open(sys.argv[1]); "
                            "db.import_pack({'claims': [{'actor': 'a', 'entity': 'e', "
                            "'metric': 'm', 'value': int(sys.argv[2])}]})",
                            str(path), str(value)], check=True, env=env)
            assert reader.value("e", "m") == value
