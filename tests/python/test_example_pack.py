"""The DeepSeek V4 pack is the minutes as data: every quote is the
minutes' own words, at the minute its locator names."""
import json
import math
import re
import sqlite3

import pytest


@pytest.fixture(scope="module")
def pack(source_dir):
    return json.loads((source_dir / "examples" / "deepseek-v4" / "claims.json")
                      .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def segments(source_dir):
    text = (source_dir / "examples" / "deepseek-v4" / "minutes.txt").read_text(
        encoding="utf-8")
    return dict(re.findall(r"发言人1\s+(\d\d:\d\d)\n(.*?)(?=\n发言人1|\Z)", text, re.S))


def test_the_minutes_copy_is_the_seed(source_dir):
    seed = source_dir.parent / "shared" / "seeds" / "deepseek-v4-minutes.txt"
    copy = source_dir / "examples" / "deepseek-v4" / "minutes.txt"
    if seed.exists():  # beside the clone in a checkout and in CI
        assert seed.read_bytes() == copy.read_bytes()
    assert copy.stat().st_size > 30000


def test_every_quote_stands_in_the_minute_of_its_locator(pack, segments):
    for i, claim in enumerate(pack["claims"]):
        assert claim["locator"] in segments, f"/claims/{i}/locator"
        assert claim["quote"] in segments[claim["locator"]], f"/claims/{i}/quote"


def test_the_four_divergences_and_three_frameworks_are_there(pack):
    frameworks = {f["id"] for f in pack["frameworks"]}
    assert frameworks == {"tech-frontier", "industry-infrastructure",
                          "commercial-realization"}
    questions = {q["id"] for q in pack["questions"]}
    assert {"open-closed-parity", "domestic-chip-turning-point",
            "compute-demand-jevons", "valuation-anchor"} <= questions


def test_named_institutions_and_groups_have_a_region(pack):
    actors = {a["id"]: a for a in pack["actors"]}
    for named in ("asia-thematic-alpha", "jefferies", "kaiyuan-securities",
                  "stanford-hai", "artificial-analysis"):
        assert named in actors
    assert any(a["kind"] == "group" and a["region"] == "domestic" for a in actors.values())
    assert any(a["kind"] == "group" and a["region"] == "overseas" for a in actors.values())
    assert all(a["region"] in ("domestic", "overseas") for a in actors.values())


INF = math.inf
FIGURES = [  # (entity, metric, value, lo, hi) the minutes quote
    ("google", "aa-index", 57.05, 57.05, 57.05),
    ("openai", "aa-index", 56.83, 56.83, 56.83),
    ("anthropic", "aa-index", 53.0, 53.0, 53.0),
    ("zhipu", "aa-index", 49.64, 49.64, 49.64),
    ("minimax", "aa-index", 49.62, 49.62, 49.62),
    ("deepseek", "aa-index", 41.61, 41.61, 41.61),
    ("openrouter", "weekly-tokens", 2.06e13, 2.06e13, 2.06e13),
    ("doubao", "daily-tokens", 1.2e14, 1.2e14, INF),
    ("china-ai-market", "daily-tokens", 1.4e14, 1.4e14, INF),  # 突破: over
    ("china-ai-market", "daily-tokens-growth", 0.4, 0.4, INF),
    ("sk-hynix", "stock-move", -0.15, -0.15, -0.15),
    ("nvidia", "stock-move", -0.19, -0.19, -0.19),
    ("deepseek", "valuation", 1.05e12, 1.05e12, 1.05e12),
    ("deepseek", "financing-target-valuation", 2e10, 2e10, 3e10),
    ("deepseek", "financing-target-valuation", 1e10, 1e10, 1e10),
    ("doubao", "mau", 2.78e8, 2.26e8, 3.3e8),
    ("qwen", "mau", 3e8, 3e8, INF),
    ("wenxin", "mau", 2.02e8, 2.02e8, 2.02e8),
    ("ai-compute-index", "index-peak", 480, 0, 480),
    ("ai-application-index", "index-peak", 320, 320, 320),
    ("chinese-open-models", "open-source-share", 0.63, 0.63, 0.63),
    ("deepseek-v4", "context-length", 1e6, 1e6, 1e6),
    ("deepseek-v4", "parameters", 1e12, 1e12, 1e12),
    ("deepseek-v4", "release", 1, 1, 1),
]


@pytest.mark.parametrize("entity,metric,value,lo,hi", FIGURES)
def test_every_quoted_figure_is_an_observation(database, entity, metric, value, lo, hi):
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    rows = con.execute("SELECT value, lo, hi FROM observations WHERE entity = ? "
                       "AND metric = ?", (entity, metric)).fetchall()
    assert (value, lo, hi) in rows, rows


def test_figures_written_in_words_keep_their_words(pack):
    words = {c["quantity"] for c in pack["claims"] if "quantity" in c}
    for phrase in ("两百多亿美元", "2.26亿到3亿3之间", "将近480", "320左右", "超过了3亿"):
        assert phrase in words
    for c in pack["claims"]:
        if "quantity" in c:
            assert c["quantity"] in c["quote"]
