"""From raw minutes to a draft pack: segments() in every transcript format,
draft() finding every figure of the example pack at its minute, and the
import refusing a draft until its nulls are filled."""
import json
import math
import subprocess

import pytest

import claimkit
from conftest import PACK, SOURCE

MINUTES = (SOURCE / "examples" / "deepseek-v4" / "minutes.txt").read_text(encoding="utf-8")

SEED_LOCATORS = [  # every "发言人1 mm:ss" header of the seed, in order
    "00:00", "00:23", "01:23", "02:18", "02:52", "03:06", "03:36", "04:05", "04:36",
    "05:01", "06:04", "07:09", "07:41", "08:11", "08:42", "09:23", "10:18", "10:45",
    "11:06", "11:55", "12:27", "13:23", "14:00", "14:40", "15:07", "15:59", "16:14",
    "17:20", "18:04", "19:01", "19:29", "19:59", "20:32", "21:12", "21:49", "22:22",
    "23:01", "23:26", "24:11", "25:06", "25:21", "25:50", "26:44", "27:33", "28:17",
    "29:16", "29:54", "30:40", "31:27", "32:31", "33:23", "33:46", "34:46", "35:16",
    "36:22", "36:57", "37:48", "38:18", "39:22"]


@pytest.fixture
def db():
    with claimkit.open(frames=False) as d:
        yield d


def test_the_seed_has_one_segment_per_header(db):
    segments = db.segments(MINUTES)
    assert [s["locator"] for s in segments] == SEED_LOCATORS
    assert {s["speaker"] for s in segments} == {"发言人1"}
    assert segments[0]["line"] == 1 and segments[1]["line"] == 4
    assert segments[20]["text"].startswith("懂了，那就是说海外的机构他们是怎么去看待deep sak")
    assert "google是57.05" in segments[20]["text"]


def texts(segments):
    return [(s["speaker"], s["locator"], s["text"], s["line"]) for s in segments]


@pytest.mark.parametrize("text,want", [
    ("Speaker 2 01:02:03\nGood morning.\n\nSecond paragraph.\nSpeaker 1 01:03:00\nThanks.",
     [("Speaker 2", "01:02:03", "Good morning.\nSecond paragraph.", 1),
      ("Speaker 1", "01:03:00", "Thanks.", 5)]),
    ("[00:23] Alice: revenue grew 15%\n[01:05] Bob Li: 两百多亿美元\nstill Bob",
     [("Alice", "00:23", "revenue grew 15%", 1), ("Bob Li", "01:05", "两百多亿美元\nstill Bob", 2)]),
    ("Alice (00:23): first\nBob（01:05）：second", [("Alice", "00:23", "first", 1),
                                                ("Bob", "01:05", "second", 2)]),
    ("发言人2　00：23\n全角的冒号和空格。", [("发言人2", "00:23", "全角的冒号和空格。", 1)]),
    ("\ufeff发言人1   00:00\r\n第一段\r\n发言人1   00:10\r第二段\r",
     [("发言人1", "00:00", "第一段", 1), ("发言人1", "00:10", "第二段", 3)]),
    ("Opening remarks.\n\nFirst point,\ncontinued.\n\n\nLast.",
     [("", "p1", "Opening remarks.", 1), ("", "p2", "First point,\ncontinued.", 3),
      ("", "p3", "Last.", 7)]),
    ("", []),
    ("\n \n", []),
])
def test_every_transcript_format(db, text, want):
    assert texts(db.segments(text)) == want


def test_a_line_ending_in_a_time_inside_prose_is_not_a_header_without_its_form(db):
    text = "We met at 10:00, as planned.\nAnd again later."
    assert texts(db.segments(text)) == [("", "p1", "We met at 10:00, as planned.\nAnd again later.", 1)]


def value_of(db, text, part):
    return db.quantity(text, 0, part)


def test_draft_finds_every_figure_of_the_pack_at_its_minute(db):
    draft = db.draft(MINUTES, "dsv4-minutes", "2026-04-28")
    found = {}
    for c in draft["claims"]:
        parts = tuple(value_of(db, c["quantity"], p) for p in ("value", "lo", "hi"))
        found.setdefault(c["locator"], []).append(parts)
    with claimkit.open(frames=False) as pack_db:
        pack_db.import_pack(PACK)
        observations = pack_db.sql(
            "SELECT entity, metric, locator, value, lo, hi FROM observations "
            "WHERE metric <> 'release'")  # a dated event, not a figure in the text
    assert len(observations) == 25
    for o in observations:
        want = tuple(math.inf if v is None else v for v in (o["value"], o["lo"], o["hi"]))
        assert want in found.get(o["locator"], []), o


def test_draft_drafts_no_date_time_or_model_name(db):
    draft = db.draft(MINUTES, "dsv4-minutes", "2026-04-28")
    for c in draft["claims"]:
        q = c["quantity"]
        assert not any(bad in q for bad in ("V4", "950PR", "年", "月", "号", ":")), q
        assert c["quantity"] in c["quote"]
        assert c["entity"] is None and c["metric"] is None and c["actor"] is None


def test_draft_guesses_periods_from_the_sentence(db):
    draft = db.draft("发言人1   23:26\n豆包三月份的日均token消耗也超过了120万亿。"
                     "2025年的下半年的数据，占比达到了63%。没写期间的5亿。\n"
                     "发言人2   24:00\n另一段里没有期间的7亿。",
                     published="2026-04-28")
    # a sentence without a period takes the one its segment set last
    assert [(c["quantity"], c["period"]) for c in draft["claims"]] == [
        ("超过了120万亿", "2026-03"), ("63%", "2025-H2"), ("5亿", "2025-H2"),
        ("7亿", None)]
    assert draft["claims"][0]["quote"] == "豆包三月份的日均token消耗也超过了120万亿。"
    assert draft["sources"] == [{"id": "draft", "kind": "transcript",
                                 "published": "2026-04-28"}]
    # without a publication date, 三月份 has no year
    assert db.draft("豆包三月份超过了120万亿")["claims"][0]["period"] is None


def test_a_text_without_quantities_drafts_no_claims(db):
    assert db.draft("今天我们聊一聊模型的竞争格局。")["claims"] == []
    assert db.draft("")["claims"] == []


def test_draft_arguments_are_checked(db):
    with pytest.raises(claimkit.InvalidError, match="source 'Not An Id' is not an id"):
        db.draft("3亿", "Not An Id")
    with pytest.raises(claimkit.InvalidError, match="published '2026-13-01' is not a date"):
        db.draft("3亿", "x", "2026-13-01")


def filled(draft):
    pack = json.loads(json.dumps(draft))
    pack["actors"] = [{"id": "minutes"}]
    pack["entities"] = [{"id": "openrouter"}]
    pack["metrics"] = [{"id": "weekly-tokens", "unit": "tokens"}]
    for c in pack["claims"]:
        c.update(actor="minutes", entity="openrouter", metric="weekly-tokens",
                 period=c["period"] or "2026-04")
    return pack


def test_a_filled_draft_imports_and_one_with_a_null_is_refused(db):
    text = "发言人1   23:26\n对你看这个open router，他的周token的消耗已经到了20.6万亿。"
    draft = db.draft(text, "dsv4", "2026-04-28")
    pack = filled(draft)
    pack["claims"][0]["entity"] = None
    before = db.stats()
    with pytest.raises(claimkit.InvalidError) as e:
        db.import_pack(pack)
    assert str(e.value) == '/claims/0/entity: fill in the entity for "20.6万亿" (23:26)'
    assert db.stats() == before
    db.import_pack(filled(draft))
    assert db.value("openrouter", "weekly-tokens") == 2.06e13
    assert db.sources("openrouter", "weekly-tokens")[0]["quantity"] == "20.6万亿"


def test_python_draft_gives_a_dict_and_a_frame():
    import pandas
    with claimkit.open() as d:
        draft = d.draft("发言人1   29:54\n豆包的月活是2.26亿到3亿3之间。")
        assert isinstance(draft, dict)
        assert isinstance(draft.frame, pandas.DataFrame)
        assert list(draft.frame["quantity"]) == ["2.26亿到3亿3之间"]


def test_the_console_writes_an_editable_draft(build_dir):
    out = subprocess.run([str(build_dir / "lua" / "claimkit-lua"), "draft", "--source",
                          "dsv4", "--published", "2026-04-28"],
                         input=MINUTES, capture_output=True, text=True, check=True,
                         timeout=60).stdout
    pack = json.loads(out)
    assert pack["sources"][0]["id"] == "dsv4"
    assert pack["claims"][0]["entity"] is None  # nulls kept, to fill in
    assert out.startswith("{\n  \"claimkit\": 1,")


def test_the_example_codebook_drafts_the_example_pack():
    """The figures of docs/drafting.md for the draft of the seed with the pack's own
    codebook (tools/draft_accuracy.py): a change to the draft rules or to
    the codebook that loses any of them fails here."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "draft_accuracy", SOURCE / "tools" / "draft_accuracy.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    with claimkit.open(frames=False) as db:
        db.import_pack(PACK)
        m = tool.measure(db)
    assert m["observations"] == 25 and m["views"] == 46
    assert m["entity"] >= 19 and m["metric"] >= 16 and m["actor"] >= 6
    assert m["right_views"] >= 46 and m["drafted_views"] <= 49
    assert m["found_views"] >= 42
    assert m["right_views_actor"] >= 19 and m["found_views_actor"] >= 18
    page = (SOURCE / "docs" / "drafting.md").read_text(encoding="utf-8")
    assert tool.report(m) in page
