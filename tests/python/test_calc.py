"""The Calc add-in in a real headless LibreOffice: the built claimkit.oxt is
installed into a fresh profile, the example dashboard recalculates to what
the Python binding says, errors are errors that CKERROR explains, array
functions fill their range, Lua functions work through CKCALL, and cells
see data other processes write."""
import math
import os
import re
import subprocess
import sys

import pytest

import claimkit
from conftest import PACK, SOURCE

sys.path.insert(0, str(SOURCE / "bindings" / "libreoffice"))

TEST_SCRIPT = {"scripts": [{"name": "calc-test", "lua": (
    "ck.register{name = 'parity_n', returns = 'number', doc = 'views on parity',"
    " fn = function() return ck.consensus('open-closed-parity', 'n') end}")}]}


@pytest.fixture(scope="module")
def office(tmp_path_factory, build_dir):
    from office import Office
    oxt = build_dir / "bindings" / "libreoffice" / "claimkit.oxt"
    assert oxt.exists(), "CMake builds claimkit.oxt when libreoffice-dev is installed"
    work = tmp_path_factory.mktemp("calc")
    database = work / "claims.db"
    with claimkit.open(database) as db:
        db.import_pack(PACK)
        db.import_pack(TEST_SCRIPT)
    env = dict(os.environ, CLAIMKIT_DB=str(database))
    profile = work / "profile"
    with Office(profile, env) as o:  # installing, the way a user does
        o.install(oxt)
    with Office(profile, env) as o:  # a new start loads the add-in
        o.database = database
        o.work = work
        yield o


@pytest.fixture
def binding(office):
    with claimkit.open(office.database, readonly=True, frames=False) as db:
        yield db


CELL_FUNCTIONS = {"CKVALUE": "value", "CKCONSENSUS": "consensus", "CKLABEL": "label",
                  "CKSPLIT": "split", "CKRANK": "rank", "CKGAP": "gap", "CKQTY": "quantity",
                  "CKSTANCE": "stance", "CKRATIO": "ratio", "CKCHANGE": "change",
                  "CKESTIMATES": "estimates", "CKTRACK": "track"}


def parse_call(formula, sheet):
    """=CKFN(args) or =IFERROR(CKFN(args);"text") -> (fn, args, fallback)."""
    # a loaded file names the add-in's functions by their programmatic name
    formula = re.sub(r"ORG\.CLAIMKIT\.CLAIMKIT\.", "", formula, flags=re.I)
    m = re.fullmatch(r'=(?:IFERROR\()?(CK[A-Z]+)\((.*?)\)(?:;"(.*)"\))?', formula)
    assert m, formula
    name, inner, fallback = m.groups()
    args = []
    for token in re.findall(r'"(?:[^"]|"")*"|[^;]+|(?<=;)(?=;|$)|^(?=;)', inner):
        token = token.strip()
        if token.startswith('"'):
            args.append(token[1:-1].replace('""', '"'))
        elif re.fullmatch(r"\$?[A-Z]+\$?\d+", token):
            args.append(sheet.getCellRangeByName(token.replace("$", "")).getString())
        elif token == "":
            args.append(None)
        else:
            args.append(float(token) if "." in token else int(token))
    return CELL_FUNCTIONS[name], args, fallback


def test_the_dashboard_recalculates_to_what_the_binding_says(office, binding, tmp_path):
    import shutil
    copy = tmp_path / "dashboard.ods"
    shutil.copy(SOURCE / "examples" / "deepseek-v4" / "dashboard.ods", copy)
    doc = office.open(copy)
    try:
        doc.calculateAll()
        checked = 0
        for sheet_name in ("Questions", "Figures", "Quantities"):
            sheet = doc.Sheets.getByName(sheet_name)
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            for row in range(cursor.RangeAddress.EndRow + 1):
                for col in range(cursor.RangeAddress.EndColumn + 1):
                    cell = sheet.getCellByPosition(col, row)
                    formula = cell.getFormula()
                    if not re.match(r"=(IFERROR\()?(ORG\.CLAIMKIT\.CLAIMKIT\.)?CK",
                                    formula, re.I):
                        continue  # not a claimkit call: the range texts
                    fn, args, fallback = parse_call(formula, sheet)
                    want = binding.call(fn, *args)
                    where = f"{sheet_name}!{col},{row} {formula}"
                    assert cell.getError() == 0, where
                    if isinstance(want, float) and math.isinf(want):
                        assert cell.getString() == fallback, where
                    elif isinstance(want, (int, float)):
                        assert cell.getValue() == pytest.approx(want, rel=1e-12), where
                    else:
                        assert cell.getString() == want, where
                    checked += 1
        assert checked > 150
    finally:
        doc.close(True)


@pytest.fixture
def sheet(office):
    doc = office.new_calc()
    yield doc, doc.Sheets.getByIndex(0)
    doc.close(True)


def calc(doc, sheet, formulas):
    for i, f in enumerate(formulas):
        sheet.getCellByPosition(0, i).setFormula(f)
    doc.calculateAll()
    return [sheet.getCellByPosition(0, i) for i in range(len(formulas))]


def test_optional_arguments_take_the_registry_defaults(sheet, binding, office):
    doc, s = sheet
    cells = calc(doc, s, [
        '=CKVALUE("deepseek";"aa-index")',
        '=CKCONSENSUS("open-closed-parity")',
        '=CKQTY("两百多亿美元")',
        f'=CKVALUE("deepseek";"aa-index";;;"{office.database}")',
        '=CKESTIMATES("deepseek-v4";"context-length";;"n")',
        '=CKTRACK("jefferies";"n")',
        '=CKSTANCE("open-closed-parity";"stanford-hai")',
        '=CKRATIO("aa-index";"google";"deepseek")',
    ])
    assert [c.getValue() for c in cells] == pytest.approx([
        41.61, binding.consensus("open-closed-parity"), 2e10, 41.61, 2, 0, 1,
        binding.ratio("aa-index", "google", "deepseek")])


def test_cells_take_names_and_aliases_for_ids(sheet):
    doc, s = sheet
    cells = calc(doc, s, [
        '=CKVALUE("DeepSeek";"智能指数";"2026-03")',
        '=CKSTANCE("open-closed-parity";"斯坦福")',
        '=CKERROR("stance";"open-closed-parity";"长桥")',
    ])
    assert [c.getValue() for c in cells[:2]] == [41.61, 1]
    assert cells[2].getString() == "stance: no actor '长桥'"


def test_errors_are_cell_errors_and_ckerror_explains_them(sheet, binding):
    doc, s = sheet
    cells = calc(doc, s, [
        '=CKVALUE("nope";"aa-index")',
        '=CKERROR("value";"nope";"aa-index")',
        '=CKCONSENSUS("open-closed-parity";"bogus")',
        '=CKERROR("consensus";"open-closed-parity";"bogus")',
        '=CKERROR("consensus";"open-closed-parity")',
        '=CKVALUE("deepseek";"aa-index";"";"value";"/nonexistent/x.db")',
        '=CKCALL("no_such_function")',
    ])
    assert cells[0].getError() != 0
    with pytest.raises(claimkit.NotFoundError) as e:
        binding.value("nope", "aa-index")
    assert cells[1].getString() == str(e.value) == "value: no entity 'nope'"
    assert cells[2].getError() == 502  # IllegalArgumentException: a bad argument
    assert "unknown measure 'bogus'" in cells[3].getString()
    assert cells[4].getString() == ""  # it succeeds
    assert cells[5].getError() != 0
    assert cells[6].getError() != 0


def test_an_array_function_fills_its_range(sheet, binding):
    doc, s = sheet
    views = binding.views("open-closed-parity")
    rows, cols = len(views) + 1, len(views[0])
    target = s.getCellRangeByPosition(0, 0, cols - 1, rows - 1)
    target.setArrayFormula('CKVIEWS("open-closed-parity")')
    doc.calculateAll()
    data = target.getDataArray()
    assert list(data[0]) == list(views[0].keys())
    assert [r[0] for r in data[1:]] == [v["actor"] for v in views]
    stance = list(views[0].keys()).index("stance")
    assert [r[stance] for r in data[1:]] == [float(v["stance"]) for v in views]

    sources = s.getCellRangeByPosition(0, 10, 12, 12)
    sources.setArrayFormula('CKSOURCES("doubao";"mau")')
    doc.calculateAll()
    data = sources.getDataArray()
    assert "quantity" in data[0] and "2.26亿到3亿3之间" in data[1]


def test_cells_are_read_as_spreadsheet_users_mean_them(sheet, binding, office):
    doc, s = sheet
    s.getCellRangeByName("E1").setValue(46082)   # a date cell: 2026-03-01
    s.getCellRangeByName("E2").setValue(46136)   # 2026-04-24, a day
    s.getCellRangeByName("E3").setValue(2025)    # a year
    s.getCellRangeByName("F1").setString("google")
    s.getCellRangeByName("F2").setString("openai")
    s.getCellRangeByName("F3").setString("deepseek")
    cells = calc(doc, s, [
        '=CKVALUE("deepseek";"aa-index";D9)',                  # blank period
        '=CKCONSENSUS("open-closed-parity";"cns";D9)',          # blank filter
        '=CKVALUE("deepseek";"aa-index";E1)',                   # a month
        '=CKVALUE("deepseek-v4";"release";E2)',                 # a day
        '=CKVALUE("chinese-open-models";"open-source-share";E3)',  # a year
        '=SUMPRODUCT(CKVALUE(F1:F3;"aa-index";"2026-03"))',     # a range
        '=CKVALUE("deepseek";"aa-index";"";"value";D9)',        # blank database
        '=CKERROR("value";"deepseek";"aa-index";D9)',
        '=CKERROR("value";"qwen";"mau";"";"hi")',               # +inf
        '=CKVALUE("qwen";"mau";"";"hi")',
        '=CKERROR("value";"deepseek";"aa-index";"";"value";"/nonexistent/x.db")',
        '=CKERROR("value";F1:F3;"nope")',
    ])
    values = [c.getValue() for c in cells[:7]]
    assert values == pytest.approx([
        41.61, binding.consensus("open-closed-parity"), 41.61, 1.0,
        binding.value("chinese-open-models", "open-source-share", "2025"),
        57.05 + 56.83 + 41.61, 41.61])
    assert [c.getError() for c in cells[:7]] == [0] * 7
    assert cells[7].getString() == ""
    assert cells[8].getString() == ("value: the result is +∞ (an open bound), which "
                                    "a cell shows as #NUM!")
    assert cells[9].getString() == "#NUM!"
    assert cells[10].getString() == ("cannot open '/nonexistent/x.db': unable to open "
                                     "database file")
    assert cells[11].getString() == "value: no metric 'nope'"


def test_a_range_gives_an_array_of_its_shape(sheet):
    doc, s = sheet
    for row, lab in enumerate(["google", "openai", "deepseek"]):
        s.getCellByPosition(5, row).setString(lab)
    target = s.getCellRangeByPosition(0, 0, 0, 2)
    target.setArrayFormula('CKVALUE(F1:F3;"aa-index";"2026-03")')
    ranks = s.getCellRangeByPosition(1, 0, 1, 2)
    ranks.setArrayFormula('CKRANK("aa-index";F1:F3;"2026-03")')
    doc.calculateAll()
    assert [r[0] for r in target.getDataArray()] == pytest.approx([57.05, 56.83, 41.61])
    assert [r[0] for r in ranks.getDataArray()] == [1.0, 2.0, 6.0]


def test_cksql_fills_an_array_with_a_header_row(sheet, binding):
    doc, s = sheet
    query = "SELECT id, scale_max FROM questions ORDER BY id LIMIT 3"
    target = s.getCellRangeByPosition(0, 0, 1, 3)
    target.setArrayFormula(f'CKSQL("{query}")')
    doc.calculateAll()
    data = target.getDataArray()
    rows = binding.sql(query)
    assert list(data[0]) == ["id", "scale_max"]
    assert [r[0] for r in data[1:]] == [r["id"] for r in rows]
    assert [r[1] for r in data[1:]] == [float(r["scale_max"]) for r in rows]


def test_a_lua_registered_function_works_through_ckcall(sheet):
    doc, s = sheet
    cells = calc(doc, s, ['=CKCALL("parity_n")', '=CKCALL("consensus";"open-closed-parity";"n")',
                          '=CKCALL("watch_team")'])
    assert cells[0].getValue() == 5
    assert cells[1].getValue() == 5
    assert '"status": "contested"' in cells[2].getString()


def test_cells_see_what_other_processes_write(sheet, tmp_path):
    doc, s = sheet
    path = tmp_path / "live.db"
    with claimkit.open(path) as writer:
        writer.import_pack(PACK)
    cells = calc(doc, s, [f'=CKCONSENSUS("open-closed-parity";"n";"";"{path}")'])
    assert cells[0].getValue() == 5
    with claimkit.open(path) as writer:  # another process's handle, read-write
        writer.import_pack({"actors": [{"id": "late", "region": "overseas"}],
                            "claims": [{"actor": "late", "question": "open-closed-parity",
                                        "stance": 2}]})
    doc.calculateAll()
    assert cells[0].getValue() == 6


def test_the_dashboard_prints_to_a_page_with_values(office, tmp_path):
    doc = office.open(SOURCE / "examples" / "deepseek-v4" / "dashboard.ods")
    try:
        doc.calculateAll()
        office.save(doc, tmp_path / "dashboard.pdf", "calc_pdf_Export")
    finally:
        doc.close(True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "dashboard.pdf"), str(tmp_path / "page")], check=True)
    from PIL import Image
    image = Image.open(tmp_path / "page.png").convert("L")
    dark = sum(1 for p in image.getdata() if p < 128)
    assert dark > 2000  # text and numbers, not an empty page
    text = subprocess.run(["pdftotext", str(tmp_path / "dashboard.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "divergent" in text and "consensus" in text and "0.54" in text
    # figures as an analyst reads them: separators, percent, units, ranges
    assert text.count("20,600,000,000,000") == 6  # weekly tokens and 20.6万亿: value, lo, hi
    assert "40.0%" in text and "-15.0%" in text  # a growth share, a fall
    assert "226,000,000 – 330,000,000" in text  # doubao's users, lo – hi
    assert "tokens" in text and "USD" in text  # the unit column
    assert "0.4\n" not in text
    # the Chinese of the Quantities sheet is drawn in a CJK font
    fonts = subprocess.run(["pdffonts", str(tmp_path / "dashboard.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts, fonts


FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet><table:table table:name="Sheet1">
  <table:table-row><table:table-cell
   table:formula="of:=ORG.CLAIMKIT.CLAIMKIT.CKVALUE(&quot;deepseek&quot;;&quot;aa-index&quot;;&quot;2026-03&quot;)"/>
  </table:table-row>
  <table:table-row><table:table-cell
   table:formula="of:=ORG.CLAIMKIT.CLAIMKIT.CKERROR(&quot;value&quot;;&quot;nope&quot;;&quot;aa-index&quot;)"/>
  </table:table-row>
 </table:table></office:spreadsheet></office:body></office:document>
"""


def test_a_hand_written_flat_ods_names_the_functions_as_docs_calc_says(office, tmp_path):
    path = tmp_path / "hand.fods"
    path.write_text(FODS, encoding="utf-8")
    doc = office.open(path)
    try:
        doc.calculateAll()
        sheet = doc.Sheets.getByIndex(0)
        assert sheet.getCellByPosition(0, 0).getValue() == pytest.approx(41.61)
        assert sheet.getCellByPosition(0, 1).getString() == "value: no entity 'nope'"
    finally:
        doc.close(True)
    page = (SOURCE / "docs" / "calc.md").read_text(encoding="utf-8")
    assert "ORG.CLAIMKIT.CLAIMKIT.CKVALUE" in page
