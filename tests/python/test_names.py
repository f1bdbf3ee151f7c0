"""Names for ids through the Python binding (DESIGN §7): a record's name or
alias where a method takes its id, on the example pack's own codebook."""
import pytest

import claimkit
from conftest import PACK


@pytest.fixture
def db():
    with claimkit.open(frames=False) as d:
        d.import_pack(PACK)
        yield d


def test_names_and_aliases_answer_as_the_ids(db):
    by_id = db.stance("open-closed-parity", "stanford-hai")
    assert db.stance("open-closed-parity", "斯坦福") == by_id
    assert db.stance("open-closed-parity", "Stanford HAI (AI Index 2026)") == by_id
    assert db.stance("open-closed-parity", actor="STANFORD hai") == by_id
    want = db.value("deepseek", "aa-index", period="2026-03")
    assert db.value("DeepSeek", "智能指数", period="2026-03") == want
    assert db.value("deep seek", "Intelligence Index", "2026-03") == want
    assert db.gap("aa-index", "谷歌", "deep sick", "2026-03") == \
        db.gap("aa-index", "google", "deepseek", "2026-03")
    assert db.framework("商业兑现 (commercial realization)") == \
        db.framework("commercial-realization")
    assert db.track("杰富瑞", stat="n") == db.track("jefferies", stat="n")


def test_the_registry_marks_record_parameters(db):
    params = {f["name"]: f["params"] for f in db.functions()}
    assert params["stance"][1]["record"] == "actor"
    assert params["value"][0]["record"] == "entity"
    assert "record" not in params["split"][2]
    assert "name or an alias" in db.stance.__doc__


def test_unknown_and_ambiguous_names(db):
    with pytest.raises(claimkit.NotFoundError, match="stance: no actor '长桥'"):
        db.stance("open-closed-parity", "长桥")
    db.import_pack({"claimkit": 1, "actors": [
        {"id": "changqiao", "name": "长桥证券", "aliases": ["长桥", "大行"]},
        {"id": "big-bank", "name": "大行"}]})
    assert db.track("长桥", stat="n") == db.track("changqiao", stat="n")
    with pytest.raises(claimkit.InvalidError,
                       match=r"track: '大行' names several actors: big-bank, changqiao"):
        db.track("大行")
