"""Claim sheets and claim frames, as a new user meets them: a transcript and
a codebook of a few lines (examples/k3-call), drafted, filled in a sheet or
a DataFrame, imported, exported and imported again."""
import csv
import io
import json
import re
import subprocess

import pandas
import pytest

import claimkit
from conftest import SOURCE

K3 = SOURCE / "examples" / "k3-call"


def console(build_dir, *args, check=True):
    """The console's run, its output as text with line ends as written."""
    run = subprocess.run([str(build_dir / "lua" / "claimkit-lua"), *args],
                         capture_output=True, timeout=120, check=check)
    run.stdout = run.stdout.decode("utf-8")
    run.stderr = run.stderr.decode("utf-8")
    return run


def read_sheet(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


# What the draft of the K3 call must give: (locator, actor, question, stance)
# for views, (locator, actor, entity, metric, quantity) for figures.
K3_VIEWS = [("00:12", "cicc", "open-closed-parity", 1),
            ("03:40", "goldman", "open-closed-parity", -1),
            ("07:05", "citi", "compute-demand", 2),
            ("10:30", "cicc", "compute-demand", 2),
            ("12:45", "goldman", "open-closed-parity", -1)]
K3_FIGURES = [("00:12", "cicc", "kimi-k3", "swe-bench", "71.2"),
              ("03:40", "goldman", "closed-frontier", "swe-bench", "78.5"),
              ("03:40", "goldman", "moonshot", "revenue", "5亿美元左右"),
              ("07:05", "citi", "kimi-k3", "daily-tokens", "3.5万亿"),
              ("10:30", "cicc", "moonshot", "valuation", "180亿美元到200亿美元之间"),
              ("12:45", "goldman", "kimi-k3", "mau", "1.2亿")]


def test_the_draft_of_a_new_call_leaves_null_only_what_the_text_does_not_say():
    with claimkit.open(frames=False) as db:
        db.import_pack(K3 / "codebook.json")
        draft = db.draft((K3 / "call.txt").read_text(encoding="utf-8"),
                         source="k3-call", published="2026-11-20")
    claims = draft["claims"]
    views = [(c["locator"], c["actor"], c["question"], c["stance"])
             for c in claims if "question" in c]
    figures = [(c["locator"], c["actor"], c["entity"], c["metric"], c["quantity"])
               for c in claims if "quantity" in c and c["quantity"] != "增长了40%"]
    assert views == K3_VIEWS
    assert figures == K3_FIGURES
    for c in claims:  # no period is said in the call: the one null left
        nulls = [k for k, v in c.items() if v is None]
        if c.get("quantity") == "增长了40%":  # a growth rate: no tokens, and
            assert nulls == ["metric", "period"], c  # no change metric of them
        else:
            assert nulls in ([], ["period"]), c


def test_a_drafted_sheet_filled_in_imports_and_exports_again(build_dir, tmp_path):
    db = tmp_path / "desk.db"
    out = console(build_dir, "-d", str(db), "import", str(K3 / "codebook.json")).stdout
    assert "0 new claims" in out
    sheet = console(build_dir, "-d", str(db), "draft", "--csv", "--source", "k3-call",
                    "--published", "2026-11-20", str(K3 / "call.txt")).stdout
    # the claim fields, then the source record's (its row has type "source")
    assert sheet.startswith("id,source,actor,locator,quote,as_of,tags,question,"
                            "stance,entity,metric,period,value,lo,hi,quantity,unit,"
                            "kind,published,type\r\n")
    rows = read_sheet(sheet)
    assert rows[0]["type"] == "source" and rows[0]["id"] == "k3-call"
    assert rows[0]["published"] == "2026-11-20" and rows[0]["source"] == ""
    # The analyst's edits: drop the growth figure, give every figure a period.
    rows = [r for r in rows if r["quantity"] != "增长了40%"]
    for r in rows:
        if r["entity"] and r["type"] != "source":
            r["period"] = "2026年11月"
    path = tmp_path / "k3.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # Calc's BOM
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    out = console(build_dir, "-d", str(db), "import", str(path)).stdout
    assert "11 new claims, 11 in all" in out
    with claimkit.open(db, frames=False) as d:
        assert d.value("kimi-k3", "mau", "2026-11") == pytest.approx(1.2e8)
        assert d.consensus("open-closed-parity", "n") == 2  # goldman's latest
        frame_rows = d.claims("actor=goldman")
        assert [r["locator"] for r in frame_rows] == ["03:40", "03:40", "03:40",
                                                      "12:45", "12:45"]
    # export --csv, imported into a database with only the codebook, gives
    # back the same pack
    exported = console(build_dir, "-d", str(db), "export", "--csv").stdout
    again = tmp_path / "again.csv"
    again.write_text(exported, encoding="utf-8", newline="")
    copy = tmp_path / "copy.db"
    console(build_dir, "-d", str(copy), "import", str(K3 / "codebook.json"), str(again))
    assert (console(build_dir, "-d", str(copy), "export").stdout
            == console(build_dir, "-d", str(db), "export").stdout)
    assert console(build_dir, "-d", str(db), "export", "--csv",
                   "actor=citi").stdout.count("\r\n") == 3
    # and the report renders that database
    page = tmp_path / "k3.html"
    dashboard = console(build_dir, "-d", str(db), "report", "-o", str(page)).stdout
    html = page.read_text(encoding="utf-8")
    assert "<title>Claims — who believes what</title>" in html  # no title anywhere
    assert "open-closed-parity" in html and "compute-demand" in html
    assert "Kimi K3" in html and "180亿美元到200亿美元之间" in html  # a figure's words
    assert "domestic − overseas" in html  # CICC against Goldman and Citi
    assert re.search(r"open-closed-parity\s+2\s+\+0\.00\s+\S+\s+divergent", dashboard)


def test_a_drafted_sheet_carries_its_source_into_a_database_without_it(
        build_dir, tmp_path):
    """DESIGN §8: the draft's sheet, its nulls filled, imports into a
    database that has only the codebook -- not the call's source."""
    db = tmp_path / "desk.db"
    codebook = json.loads((K3 / "codebook.json").read_text(encoding="utf-8"))
    del codebook["sources"]
    (tmp_path / "codebook.json").write_text(json.dumps(codebook), encoding="utf-8")
    console(build_dir, "-d", str(db), "import", str(tmp_path / "codebook.json"))
    sheet = console(build_dir, "-d", str(db), "draft", "--csv", "--source",
                    "k3-bis", "--published", "2026-11-21", str(K3 / "call.txt")).stdout
    rows = read_sheet(sheet)
    claims = [r for r in rows if r["type"] != "source" and r["entity"]
              and r["metric"]]
    for r in claims:
        r["period"] = r["period"] or "2026-11"
    path = tmp_path / "bis.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        w.writeheader()
        w.writerows([rows[0]] + claims)
    out = console(build_dir, "-d", str(db), "import", str(path)).stdout
    assert f"{len(claims)} new claims" in out
    with claimkit.open(db, frames=False) as d:
        got = d.sql("SELECT id, kind, published FROM sources")
        assert got == [{"id": "k3-bis", "kind": "transcript", "published": "2026-11-21"}]
    # any other record in a sheet is refused, naming its line
    bad = tmp_path / "bad.csv"
    bad.write_text("id,type\nx,actor\n", encoding="utf-8")
    run = console(build_dir, "-d", str(db), "import", str(bad), check=False)
    assert run.returncode == 1
    assert "bad.csv:2: type: 'actor': a claim sheet holds claims and sources only" in run.stderr


def test_a_refused_sheet_says_where_and_changes_nothing(build_dir, tmp_path):
    db = tmp_path / "desk.db"
    console(build_dir, "-d", str(db), "import", str(K3 / "codebook.json"))
    before = console(build_dir, "-d", str(db), "export").stdout
    path = tmp_path / "claims.csv"
    path.write_text("source,actor,question,stance\n"
                    "k3-call,cicc,open-closed-parity,1\n"
                    "k3-call,citi,compute-demand,2\n"
                    "k3-call,goldman,open-closed-parity,x\n", encoding="utf-8")
    run = console(build_dir, "-d", str(db), "import", str(path), check=False)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"claimkit-lua import: {path}:4: stance: 'x' is "
                                  "not an integer")
    assert console(build_dir, "-d", str(db), "export").stdout == before


def test_claims_are_a_frame_that_imports_back_edited():
    with claimkit.open() as db:
        db.import_pack(K3 / "codebook.json")
        db.import_pack(K3 / "codebook.json")
        frame = db.claims()
        assert list(frame.columns) == list(claimkit.SHEET_FIELDS)
        assert len(frame) == 0
        draft = db.draft((K3 / "call.txt").read_text(encoding="utf-8"),
                         source="k3-call")
        edited = draft.frame  # made once: edits stay
        assert edited is draft.frame
        edited = edited[edited["quantity"] != "增长了40%"]
        draft._frame = edited.assign(period=edited["entity"].map(
            lambda e: "2026-11" if isinstance(e, str) else None))
        db.import_pack(draft)
        frame = db.claims()
        assert len(frame) == 11
        assert str(frame["stance"].dtype) == "Int64"
        assert frame["value"].dtype == "float64"
        views = frame[frame["question"].notna()]
        assert list(views["stance"]) == [1, -1, 2, 2, -1]
        # an analyst changes a stance in the frame and imports it
        i = frame.index[(frame["actor"] == "citi") & frame["question"].notna()][0]
        frame.loc[i, "stance"] = 1
        db.import_pack(frame)
        assert db.consensus("compute-demand", "mean") == pytest.approx(1.5)
        assert len(db.claims()) == 11  # the same ids: replaced, not added
        # a bad cell is named by its row and column; nothing is stored
        bad = frame.copy()
        bad["stance"] = bad["stance"].astype(object)
        bad.loc[bad.index[2], "stance"] = "x"
        with pytest.raises(claimkit.InvalidError, match=r"^/claims/2/stance: "):
            db.import_pack(bad)
        assert db.consensus("compute-demand", "mean") == pytest.approx(1.5)
        # tags typed in a cell as "a; b"
        one = frame.iloc[[0]].assign(tags="revisit; k3")
        db.import_pack(one)
        tagged = db.claims("tag=k3")
        assert list(tagged["id"]) == [one.iloc[0]["id"]]
        assert tagged.iloc[0]["tags"] == ["revisit", "k3"]


def test_without_pandas_claims_are_a_list_of_dicts():
    with claimkit.open(frames=False) as db:
        db.import_pack(K3 / "codebook.json")
        db.import_pack({"claims": [{"source": "k3-call", "actor": "citi",
                                    "question": "compute-demand", "stance": 2}]})
        rows = db.claims("region=overseas")
        assert isinstance(rows, list) and rows[0]["stance"] == 2
        assert "entity" not in rows[0]  # a claim's own fields only
        db.import_pack([dict(rows[0], stance=1)])
        assert db.claims()[0]["stance"] == 1
        assert db.sheet().splitlines()[1].endswith(",compute-demand,1,,,,,,,,")


def test_the_dimensions_are_tidy_frames_without_sql():
    with claimkit.open() as db:
        db.import_pack(K3 / "codebook.json")
        questions = db.questions()
        assert list(questions["id"]) == ["compute-demand", "open-closed-parity"]
        assert questions.set_index("id").loc["open-closed-parity", "scale"] == [-2, 2]
        assert questions.set_index("id").loc["compute-demand", "cues"] == {
            "2": ["算力需求会继续上升"]}
        actors = db.actors()
        assert dict(zip(actors["id"], actors["region"])) == {
            "cicc": "domestic", "citi": "overseas", "goldman": "overseas"}
        assert list(db.entities()["id"]) == ["closed-frontier", "kimi-k3", "moonshot"]
        assert db.metrics().set_index("id").loc["mau", "aliases"] == ["月活"]
        assert len(db.frameworks()) == 0
    with claimkit.open(frames=False) as db:
        db.import_pack(K3 / "codebook.json")
        assert db.actors()[0] == {"id": "cicc", "name": "中金", "region": "domestic",
                                  "aliases": ["中金公司"]}


# ---- what a sheet must carry (issue #21) -----------------------------------

DIMENSIONS = {"sources": [{"id": "m1"}],
              "actors": [{"id": "ms", "name": "Morgan Stanley"},
                         {"id": "citic", "name": "CITIC"}],
              "entities": [{"id": "deepseek", "name": "DeepSeek"}],
              "metrics": [{"id": "users", "name": "users"}],
              "questions": [{"id": "parity", "text": "Open equals closed?",
                             "scale": [-2, 2]}]}
PIECES = ["a", ";", " ", "[", "]", '"', ",", "\r\n", "\r", "\n", "\ufeff",
          "中", "\t", "x y", "null", "{", "'"]
NAMES = ["Stance", "ID", "type", "TYPE", "", " note", "note", "Note", '"q',
         "tags ", "x,y", "\ufeffbom", "Quote", "unit\t", "[a]"]


def random_text(rnd):
    return "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(6)))


def random_value(rnd):
    return rnd.choice([lambda: rnd.randrange(-9000, 9000),
                       lambda: rnd.randrange(10 ** 6) / 7,
                       lambda: rnd.random() < 0.5,
                       lambda: [random_text(rnd), random_text(rnd)],
                       lambda: {"k": random_text(rnd)},
                       lambda: random_text(rnd), lambda: random_text(rnd)])()


def random_claims(rnd, n):
    claims = []
    for i in range(n):
        c = {"actor": rnd.choice(["ms", "citic"])}
        if rnd.random() < 0.5:
            c["id"] = f"g{i}"
        else:
            c["locator"] = f"L{i} "  # no id: a content id, each its own
        if rnd.random() < 0.5:
            c["source"] = "m1"
        if rnd.random() < 0.75:
            c["tags"] = [random_text(rnd) for _ in range(rnd.randrange(4))]
        if rnd.random() < 0.75:
            c["quote"] = random_text(rnd)
        for _ in range(rnd.randrange(4)):
            c[rnd.choice(NAMES)] = random_value(rnd)
        if rnd.random() < 0.5:
            stance = rnd.randrange(-2, 3)
            c.update(question="parity",
                     stance=float(stance) if rnd.random() < 0.3 else stance)
        else:
            c.update(entity="deepseek", metric="users",
                     period=rnd.choice(["2026-Q1", "2026年3月"]),
                     value=rnd.choice([rnd.randrange(10 ** 9),
                                       rnd.randrange(10 ** 9) / 3]))
            if rnd.random() < 0.5:
                c["unit"] = random_text(rnd)
        claims.append(c)
    return claims


def written_by_the_rules(claims, lineterminator):
    """A claim sheet written from docs/sheets.md alone, by Python's csv
    module (every cell quoted, as QUOTE_ALL exports do)."""
    def plain_tags(tags):
        return tags and not tags[0].startswith("[") and all(
            t and ";" not in t and t.strip(" \t") == t for t in tags)

    def plain_name(name):
        return (name and name.strip(" \t") == name and not name.startswith('"')
                and name.lower() not in claimkit.SHEET_FIELDS + ("type",))

    typed = ("stance", "value", "lo", "hi", "tags")
    extra = sorted({k for c in claims for k in c} - set(claimkit.SHEET_FIELDS))
    columns = []
    for name in list(claimkit.SHEET_FIELDS) + extra:
        values = [c[name] for c in claims if name in c]
        exact = name not in typed and (
            (name in extra and not plain_name(name))
            or any(not isinstance(v, str) or v == "" for v in values))
        columns.append((name, exact))
    out = io.StringIO(newline="")
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=lineterminator)
    w.writerow([json.dumps(n, ensure_ascii=False) if exact else n
                for n, exact in columns])
    for c in claims:
        row = []
        for name, exact in columns:
            v = c.get(name)
            if v is None:
                row.append("")
            elif exact:
                row.append(json.dumps(v, ensure_ascii=False))
            elif name == "tags":
                row.append(";".join(v) if plain_tags(v)
                           else json.dumps(v, ensure_ascii=False))
            else:
                row.append(v if isinstance(v, str) else json.dumps(v))
        w.writerow(row)
    return out.getvalue()


def fresh():
    db = claimkit.open(frames=False)
    db.import_pack(DIMENSIONS)
    return db


@pytest.mark.parametrize("seed", range(6))
def test_generated_claims_survive_a_sheet_both_ways(tmp_path, seed):
    """sheet() -> import gives back the same pack; Python's csv module reads
    that sheet as the claims' own cells; and a sheet Python writes from the
    documented rules (CR, LF or CRLF line ends) imports as the same pack."""
    import random
    rnd = random.Random(seed)
    with fresh() as db:
        db.import_pack({"claims": random_claims(rnd, 40)})
        want = db.export()
        claims = db.claims()
        ours = db.sheet()
    rows = list(csv.reader(io.StringIO(ours, newline="")))
    assert len(rows) == len(claims) + 1
    assert [r[0] for r in rows[1:]] == [c["id"] for c in claims]
    tags = rows[0].index("tags")
    for row, c in zip(rows[1:], claims):
        cell = row[tags]
        got = json.loads(cell) if cell.startswith("[") else (
            cell.split(";") if cell else None)
        assert got == c.get("tags")
    for n, text in enumerate([ours, written_by_the_rules(claims, "\r"),
                              written_by_the_rules(claims, "\n"),
                              written_by_the_rules(claims, "\r\n")]):
        path = tmp_path / f"sheet{n}.csv"
        path.write_bytes(text.encode("utf-8"))
        with fresh() as copy:
            copy.import_pack(str(path))
            assert copy.export() == want


def test_hostile_sheets_are_refused_where_they_are_wrong(tmp_path):
    """GBK in the header, a CR-only file, bad JSON in a tags cell: refused
    with file, line and column, or read row by row; never nothing stored
    silently, never half a sheet."""
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(b"source,actor,question,stance,\xb1\xb8\xd7\xa2\r\n"
                    b"m1,ms,parity,1,x\r\n")
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"source,actor,question,stance\rm1,ms,parity,1\r"
                    b"m1,citic,parity,2\r")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"source,actor,question,stance,tags\r\n"
                    b"m1,ms,parity,1,a;b\r\nm1,ms,parity,1,[a;b]\r\n")
    with fresh() as db:
        before = db.export()
        with pytest.raises(claimkit.InvalidError, match=re.escape(
                f"{gbk}:1: column 5 of the header is not UTF-8 text")):
            db.import_pack(str(gbk))
        with pytest.raises(claimkit.InvalidError, match=re.escape(
                f"{bad}:3: tags: '[a;b]' is not a list of tags in JSON")):
            db.import_pack(str(bad))
        assert db.export() == before
        db.import_pack(str(mac))
        assert db.consensus("parity", "n") == 2
        # a frame's tags cell follows the sheet's rule
        db.import_pack([{"id": "t", "source": "m1", "actor": "ms",
                         "question": "parity", "stance": 0,
                         "tags": '["a;b", " c", ""]'}])
        assert [c["tags"] for c in db.claims() if c["id"] == "t"] == [
            ["a;b", " c", ""]]


def test_sheet_fields_are_the_librarys_list(source_dir):
    """claimkit.SHEET_FIELDS is what the library answers, the list sheet.c
    holds (parsed here from its source), and an empty sheet's header."""
    text = (source_dir / "core" / "src" / "sheet.c").read_text(encoding="utf-8")
    table = re.search(r"ck_sheet_fields\[CK_SHEET_FIELDS\] = \{(.*?)\};", text, re.S)
    assert table, "sheet.c: ck_sheet_fields not found"
    in_c = tuple(re.findall(r'"([^"]*)"', table.group(1)))
    assert claimkit.SHEET_FIELDS == in_c
    with claimkit.open(frames=False) as db:
        assert tuple(db.sheet_fields()) == in_c
        header = next(csv.reader(io.StringIO(db.sheet())))
        assert tuple(header) == in_c
    assert isinstance(claimkit.SHEET_FIELDS, tuple)
