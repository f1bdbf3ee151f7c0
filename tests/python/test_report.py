"""The report (lua/report.lua, `claimkit-lua report`): on the seed, the
main job's dashboard and page; on a generated pack of other questions,
scales, regions and figures, a page of its own data only.  Both are
self-contained, every link lands, and the charts render in headless
Chromium."""
import json
import random
import re
import shutil
import subprocess

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def console(build_dir, *args):
    return subprocess.run([str(build_dir / "lua" / "claimkit-lua"), *args], check=True,
                          capture_output=True, text=True, timeout=300).stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory, build_dir, source_dir):
    """The main job: the pack imported, then the report command."""
    out = tmp_path_factory.mktemp("report")
    db = str(out / "r.db")
    console(build_dir, "-d", db, "import",
            str(source_dir / "examples" / "deepseek-v4" / "claims.json"))
    stdout = console(build_dir, "report", "-d", db, "-o", str(out / "report.html"),
                     "--title", "DeepSeek V4")
    return out, stdout


def generated_pack(seed=7):
    """A desk's pack unlike the seed: three regions, scales 0..4 and -3..3,
    ids with dots and underscores, a ranking of eight entities, ranges,
    quotes with markup, a script function, and questions without views."""
    rnd = random.Random(seed)
    regions = ["apac", "emea", "americas"]
    actors = [{"id": f"house_{i}.{regions[i % 3]}", "name": f"House <{i}> & Co",
               "region": regions[i % 3]} for i in range(30)]
    questions = [{"id": "rates.cut-2027", "text": "Will rates be cut in 2027?",
                  "framework": "macro", "scale": [0, 4]},
                 {"id": "chip_export_ban", "text": "Does the ban hold?",
                  "framework": "policy", "scale": [-3, 3]},
                 {"id": "unasked", "text": "Nobody answered", "scale": [-2, 2]}]
    entities = [{"id": f"lab-{c}", "name": f"Lab {c.upper()}"} for c in "abcdefgh"]
    claims = []
    for a in actors:
        for q in questions[:2]:
            lo, hi = q["scale"]
            claims.append({"source": "notes", "actor": a["id"], "question": q["id"],
                           "stance": rnd.randint(lo, hi), "locator": f"p{rnd.randint(1, 40)}",
                           "quote": f"<script>alert({rnd.randint(0, 9)})</script> said {a['name']}"})
    for i, e in enumerate(entities):
        claims.append({"source": "notes", "actor": actors[i]["id"], "entity": e["id"],
                       "metric": "score", "period": "2026-Q3", "value": 40 + 5 * i + rnd.random()})
    claims.append({"source": "notes", "actor": actors[0]["id"], "entity": "lab-a",
                   "metric": "revenue", "period": "2026", "lo": 2e9, "hi": 3e9})
    claims.append({"source": "notes", "actor": actors[1]["id"], "entity": "lab-b",
                   "metric": "revenue", "period": "2026", "quantity": "两百多亿美元"})
    script = ('ck.register{name = "desk_pulse", doc = "The desk pulse.", returns = "object", '
              'params = {}, fn = function() return {status = "steady", '
              'reading = string.format("n = %d", ck.consensus("rates.cut-2027", "n"))} end}')
    return {"claimkit": 1,
            "sources": [{"id": "notes", "kind": "notes", "title": "Desk notes, autumn 2026"}],
            "actors": actors, "entities": entities,
            "frameworks": [{"id": "macro", "name": "Macro"}, {"id": "policy", "name": "Policy"}],
            "metrics": [{"id": "score", "name": "Desk score", "unit": "points"},
                        {"id": "revenue", "name": "Revenue", "unit": "USD"}],
            "questions": questions, "claims": claims,
            "scripts": [{"name": "pulse", "lua": script}]}


@pytest.fixture(scope="module")
def second_report(tmp_path_factory, build_dir):
    out = tmp_path_factory.mktemp("second")
    (out / "pack.json").write_text(json.dumps(generated_pack(), ensure_ascii=False),
                                   encoding="utf-8")
    db = str(out / "desk.db")
    console(build_dir, "-d", db, "import", str(out / "pack.json"))
    stdout = console(build_dir, "-d", db, "report", "-o", str(out / "report.html"))
    return out, stdout


def test_the_dashboard_reads_the_seed(report):
    _, stdout = report
    assert re.search(r"open-closed-parity\s+tech-frontier\s+5\s+\+0\.20\s+0\.54\s+divergent"
                     r"\s+\+1\.33", stdout)
    assert re.search(r"commercial-realization\s+0\.51", stdout)
    assert re.search(r"deepseek\s+41\.61\s+6\s+-15\.44", stdout)  # rank, gap to top
    assert re.search(r"doubao\s+278 M\s+2\s+-22 M", stdout)
    for watch in ("watch_model", "watch_commercial", "watch_compute", "watch_team",
                  "watch_price"):
        assert watch in stdout


def links_land(html):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # no anchor given twice
    links = re.findall(r'href="#([^"]+)"', html)
    assert sorted(set(links) - set(ids)) == []
    return links


def test_the_page_is_self_contained_and_every_link_lands(report):
    out, _ = report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert len(links_land(html)) > 50
    assert html.count("<svg") >= 4
    assert "<title>DeepSeek V4 — who believes what</title>" in html
    assert "但是他是不是真的能够在所有的场景下面都胜过闭园的前沿" in html  # a quote


def test_the_page_names_a_chinese_font_the_machine_has(report):
    """The README's install line brings fonts-noto-cjk; the page's font
    stack must name a family fontconfig has for Chinese."""
    out, _ = report
    html = (out / "report.html").read_text(encoding="utf-8")
    stack = re.search(r"body \{ font: [^,]+,([^;]+);", html).group(1)
    families = [f.strip().strip('"') for f in stack.split(",")]
    have = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                          text=True, check=True).stdout
    installed = {name.strip() for line in have.splitlines() for name in line.split(",")}
    assert set(families) & installed, (families, sorted(installed)[:10])


def test_a_second_pack_gets_a_report_of_its_own_data(second_report):
    out, stdout = second_report
    html = (out / "report.html").read_text(encoding="utf-8")
    links_land(html)
    assert "<title>Desk notes, autumn 2026 — who believes what</title>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(" in html  # quotes escaped
    for region in ("apac", "emea", "americas"):
        assert f">{region}</text>" in html  # a bar per region in the stance chart
    assert "deepseek" not in html.lower() and "domestic" not in html
    assert 'id="rank-score-2026-Q3"' in html
    assert "lab-h" in stdout and re.search(r"desk_pulse\s+steady\s+n = 30", stdout)
    assert "unasked" not in html  # a question no one answered is left out
    assert re.search(r"lab-b\s+revenue\s+2026\s+20 B USD\s+20 B USD \.\. 30 B USD", stdout)
    # no split column: there are three regions, none of them the seed's two
    assert "domestic-overseas" not in stdout
    assert re.search(r"rates\.cut-2027\s+macro\s+30\s", stdout)


def test_an_empty_database_gets_a_page_that_says_so(tmp_path, build_dir):
    db = str(tmp_path / "empty.db")
    console(build_dir, "-d", db, "-e", "")
    console(build_dir, "-d", db, "report", "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "The database holds no claims yet." in html and "<h2>" not in html


def test_the_report_from_lua_is_the_same_page(tmp_path, build_dir, source_dir):
    db = str(tmp_path / "r.db")
    console(build_dir, "-d", db, "import",
            str(source_dir / "examples" / "deepseek-v4" / "claims.json"))
    out = console(build_dir, "-d", db, "-e",
                  f'local html, dash = db:report("{tmp_path / "lua.html"}") '
                  'print(#html, #dash, dash[1].title)')
    size, tables, first = out.split()
    assert (tmp_path / "lua.html").stat().st_size == int(size)
    assert int(tables) >= 5 and first == "Questions"


def chromium():
    path = shutil.which("chromium")
    assert path, "chromium is installed by .ci/run (Debian package chromium)"
    return path


def test_the_charts_render_in_chromium(report, tmp_path):
    out, _ = report
    url = (out / "report.html").as_uri()
    dom = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p1'}",
                          "--dump-dom", url],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    for chart in ("frameworks", "stances", "rank-aa-index-2026-03"):
        assert f'id="{chart}"' in dom
    assert dom.count("<rect") > 40

    shot = tmp_path / "report.png"
    subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p2'}",
                    "--window-size=1200,2600", f"--screenshot={shot}", url],
                   check=True, capture_output=True, timeout=120)
    from PIL import Image
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2600)
    pixels = image.getdata()
    coloured = sum(1 for r, g, b in pixels if abs(r - g) > 40 or abs(g - b) > 40)
    # the bars: a blank or unstyled page has next to no coloured pixels
    assert coloured > 0.02 * len(pixels), coloured


def test_the_second_report_renders_in_chromium(second_report, tmp_path):
    out, _ = second_report
    dom = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p'}",
                          "--dump-dom", (out / "report.html").as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    assert 'id="stances"' in dom and 'id="rank-score-2026-Q3"' in dom
    assert dom.count("<rect") > 30


def test_percent_points_and_basis_points_print_in_their_own_unit(tmp_path, build_dir):
    """Figures stored as fractions (0.198 %, -0.005 pp, 0.005 bp) read as an
    analyst wrote them, in the console dashboard and on the page."""
    claims = [{"source": "call", "actor": "cfo", "entity": "acme", "metric": m,
               "period": "2026-Q3", "quantity": text}
              for m, text in (("margin", "毛利率19.8%"), ("margin-change", "下降0.5个百分点"),
                              ("rate-cut", "降息50个基点"))]
    pack = {"claimkit": 1, "sources": [{"id": "call", "kind": "call", "title": "Q3 call"}],
            "actors": [{"id": "cfo"}], "entities": [{"id": "acme"}],
            "metrics": [{"id": m} for m in ("margin", "margin-change", "rate-cut")],
            "claims": claims}
    (tmp_path / "pack.json").write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    db = str(tmp_path / "u.db")
    console(build_dir, "-d", db, "import", str(tmp_path / "pack.json"))
    stdout = console(build_dir, "-d", db, "report", "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for shown in ("19.8%", "-0.5 pp", "50 bp"):
        assert shown in stdout and shown in html
    assert "0.005" not in stdout and "0.005" not in html
