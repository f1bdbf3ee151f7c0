"""The documentation in docs/ says what the library does: its tables of
quantities and periods are checked against the parser and the importer,
and every link of the README and docs/ lands inside the repository."""
import math
import re

import pytest

import claimkit
from conftest import SOURCE

DOCS = SOURCE / "docs"


def table_rows(path, header_start):
    """The rows of the first Markdown table whose header starts so."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def number(cell):
    cell = cell.replace("−", "-")
    if cell in ("∞", "-∞"):
        return math.copysign(math.inf, -1 if cell.startswith("-") else 1)
    return float(cell)


def test_the_quantity_table_is_what_the_parser_reads():
    rows = table_rows(DOCS / "quantities.md", "| text | value")
    assert len(rows) >= 10
    with claimkit.open(frames=False) as db:
        for text_cell, value, lo, hi, qualifier, unit in rows:
            for text in re.findall(r"`([^`]+)`", text_cell):
                q = db.quantities(text)
                assert len(q) == 1, text
                q = q[0]
                assert q["text"] == text
                assert q["value"] == pytest.approx(number(value)), text
                got_lo = q["lo"] if q["lo"] is not None else -math.inf
                got_hi = q["hi"] if q["hi"] is not None else math.inf
                assert got_lo == pytest.approx(number(lo)), text
                assert got_hi == pytest.approx(number(hi)), text
                assert q["qualifier"] == qualifier and q["unit"] == unit, text


def test_the_period_table_is_what_an_import_stores():
    rows = table_rows(DOCS / "periods.md", "| written | stored")
    base = {"sources": [{"id": "s"}], "actors": [{"id": "a"}],
            "entities": [{"id": "e"}], "metrics": [{"id": "m"}]}
    with claimkit.open(frames=False) as db:
        db.import_pack(base)
        for written, stored in rows:
            written = re.findall(r"`([^`]+)`", written)
            stored = re.findall(r"`([^`]+)`", stored)
            if len(stored) == 1:
                stored = stored * len(written)
            assert len(stored) == len(written), written
            for text, want in zip(written, stored):
                db.import_pack({"claims": [{"id": "x", "actor": "a", "entity": "e",
                                            "metric": "m", "period": text, "value": 1}]})
                assert db.claims()[0]["period"] == want, text


def anchors(page):
    """The #fragments GitHub makes of a page's headings: lower case, spaces
    to hyphens, punctuation but - and _ dropped (code blocks hold no headings)."""
    text = re.sub(r"(?ms)^```.*?^```", "", page.read_text(encoding="utf-8"))
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
            for h in re.findall(r"(?m)^#+ (.*)$", text)}


def test_every_link_lands_and_nothing_points_outside():
    pages = [SOURCE / "README.md", *sorted(DOCS.glob("*.md"))]
    assert {p.name for p in pages} >= {
        "packs.md", "codebook.md", "sheets.md", "periods.md", "quantities.md",
        "report.md", "c.md", "lua.md", "python.md", "calc.md", "drafting.md",
        "functions.md", "schema.md", "benchmarks.md", "reliability.md", "layout.md"}
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "DESIGN" not in text, page
        for target, fragment in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            dest = (page.parent / target).resolve() if target else page
            assert dest.exists(), (page.name, target)
            assert SOURCE.resolve() in dest.parents, (page.name, target)
            if fragment:
                assert fragment in anchors(dest), (page.name, target, fragment)
            checked += 1
    assert checked >= 40


def test_the_readme_is_one_short_page_linking_every_doc():
    readme = SOURCE / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250, len(lines)
    text = "\n".join(lines)
    for page in sorted(DOCS.glob("*.md")):
        if page.name != "README.md":
            assert f"](docs/{page.name})" in text, page.name


def test_the_readme_installs_what_ci_installs():
    """The README's first command installs every package .ci/run does
    (but for what those pull in themselves), so a fresh machine following
    the README builds and tests what CI does."""
    readme = (SOURCE / "README.md").read_text(encoding="utf-8")
    ci = (SOURCE / ".ci" / "run").read_text(encoding="utf-8")
    readme_packages = set(re.search(r"apt-get install -y (.*?) &&", readme).group(1).split())
    ci_packages = set(re.search(r"--no-install-recommends \\\n(.*?)\ncmake", ci, re.S)
                      .group(1).replace("\\", "").split())
    implied = {"python3", "ca-certificates"}  # python3-pytest's and apt's own
    assert ci_packages - readme_packages <= implied, ci_packages - readme_packages
    assert {"postgresql", "libpq-dev", "libreoffice-dev"} <= readme_packages
