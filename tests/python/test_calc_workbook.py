"""The Calc add-in in a fresh profile on a machine with no default database
(no ~/.local/share/claimkit/claims.db, no CLAIMKIT_DB): functions that need
no data answer, CKERROR names the database it tried, a workbook names its
database once, a path typed in a parameter's place is recognised or refused
with where it goes, analysts' periods are read in cells, and drift and
revisions fill arrays."""
import os
import sys
import time

import pytest

import claimkit
from conftest import PACK, SOURCE

sys.path.insert(0, str(SOURCE / "bindings" / "libreoffice"))

QUARTERS = {"sources": [{"id": "q-notes"}], "actors": [{"id": "q-broker"}],
            "entities": [{"id": "acme"}], "metrics": [{"id": "sales", "unit": "USD"}],
            "claims": [{"source": "q-notes", "actor": "q-broker", "entity": "acme",
                        "metric": "sales", "period": "2023-Q3", "value": 16.21e8},
                       {"source": "q-notes", "actor": "q-broker", "entity": "acme",
                        "metric": "sales", "period": "2024", "value": 70e8}]}


@pytest.fixture(scope="module")
def office(tmp_path_factory, build_dir):
    from office import Office
    work = tmp_path_factory.mktemp("calc-nodb")
    home = work / "home"
    home.mkdir()
    database = work / "desk.db"
    with claimkit.open(database) as db:
        db.import_pack(PACK)
        db.import_pack(QUARTERS)
    env = {k: v for k, v in os.environ.items() if k != "CLAIMKIT_DB"}
    env["HOME"] = str(home)
    profile = work / "profile"
    oxt = build_dir / "bindings" / "libreoffice" / "claimkit.oxt"
    with Office(profile, env) as o:
        o.install(oxt)
    with Office(profile, env) as o:
        o.database, o.home = database, home
        yield o


@pytest.fixture
def doc(office):
    d = office.new_calc()
    yield d
    d.close(True)


def calc(doc, formulas):
    sheet = doc.Sheets.getByIndex(0)
    for i, f in enumerate(formulas):
        sheet.getCellByPosition(0, i).setFormula(f)
    doc.calculateAll()
    return [sheet.getCellByPosition(0, i) for i in range(len(formulas))]


def test_with_no_database_data_free_functions_answer_and_ckerror_names_the_file(doc, office):
    default = office.home / ".local" / "share" / "claimkit" / "claims.db"
    cells = calc(doc, [
        '=CKQTY("营收约十六亿美元")',
        '=CKQTY("两百多亿美元";0;"hi")',
        '=CKCALL("quantity";"超过3亿元";0;"unit")',
        '=CKVALUE("smic";"revenue")',
        '=CKERROR("value";"smic";"revenue")',
        '=CKERROR("quantity";"约3亿")',
    ])
    assert cells[0].getValue() == pytest.approx(1.6e9)
    assert cells[1].getValue() == pytest.approx(3e10)
    assert cells[2].getString() == "CNY"
    assert cells[3].getError() != 0
    message = cells[4].getString()
    assert message.startswith(f"cannot open '{default}': unable to open database file"), message
    assert "the default database" in message and "CLAIMKIT_DB" in message
    assert "'revenue'" not in message  # an argument is not taken for the database
    assert cells[5].getString() == ""
    assert not default.exists()  # answering from nothing creates nothing


def test_a_workbook_names_its_database_once_in_a_named_cell(doc, office):
    from com.sun.star.table import CellAddress
    sheet = doc.Sheets.getByIndex(0)
    sheet.getCellRangeByName("H1").setString(str(office.database))
    doc.NamedRanges.addNewByName("CLAIMKIT_DB", "$Sheet1.$H$1", CellAddress(0, 0, 0), 0)
    cells = calc(doc, ['=CKVALUE("deepseek";"aa-index";"2026-03")',
                       '=CKCONSENSUS("open-closed-parity";"n")',
                       '=CKERROR("value";"deepseek";"nope")'])
    assert cells[0].getValue() == pytest.approx(41.61)
    assert cells[1].getValue() == 5
    assert cells[2].getString() == "value: no metric 'nope'"
    # read at each recalculation: another file named there is used at once
    other = office.database.parent / "other.db"
    with claimkit.open(other) as db:
        db.import_pack(QUARTERS)
    sheet.getCellRangeByName("H1").setString(str(other))
    time.sleep(0.3)  # the add-in reads the workbook's name once per 0.25 s
    doc.calculateAll()
    assert cells[1].getError() != 0  # other.db holds no such question
    assert cells[0].getError() != 0


def test_a_workbook_names_its_database_in_a_document_property(doc, office):
    props = doc.getDocumentProperties().getUserDefinedProperties()
    props.addProperty("CLAIMKIT_DB", 0, str(office.database))
    cells = calc(doc, ['=CKVALUE("acme";"sales";"3Q23")'])
    assert cells[0].getValue() == pytest.approx(16.21e8)


def test_a_path_in_a_parameters_place_is_taken_or_refused_with_where_it_goes(doc, office):
    path = str(office.database)
    cells = calc(doc, [
        f'=CKVALUE("deepseek";"aa-index";"2026-03";"{path}")',
        f'=CKSQL("SELECT count(*) AS n FROM questions";"{path}")',
        '=CKVALUE("smic";"revenue";"2023-Q3";"/data/smic.db")',
        f'=CKERROR("value";"deepseek";"aa-index";"2026-03";"{path}")',
    ])
    assert cells[0].getValue() == pytest.approx(41.61)
    assert cells[1].getError() == 0
    assert cells[2].getError() == 502  # a bad argument, said so below
    sheet = doc.Sheets.getByIndex(0)
    sheet.getCellByPosition(1, 0).setFormula(
        '=CKERROR("value";"smic";"revenue";"2023-Q3";"value";"/data/smic.db")')
    doc.calculateAll()
    assert "cannot open '/data/smic.db'" in sheet.getCellByPosition(1, 0).getString()
    assert cells[3].getString() == ""


def test_analysts_periods_are_read_in_cells(doc, office):
    path = str(office.database)
    cells = calc(doc, [f'=CKVALUE("acme";"sales";"{p}";"value";"{path}")'
                       for p in ("3Q23", "2023Q3", "Q3 2023", "2023年三季度", "FY2024", "FY24")])
    assert [c.getValue() for c in cells] == pytest.approx([16.21e8] * 4 + [70e8] * 2)


def test_drift_and_revisions_fill_arrays(doc, office):
    path = str(office.database)
    sheet = doc.Sheets.getByIndex(0)
    dates = ["2026-01-01", "2026-04-28", "2026-05-01"]
    for i, d in enumerate(dates):
        sheet.getCellByPosition(5, i).setFormula(f"=DATEVALUE(\"{d}\")")
    drift = sheet.getCellRangeByPosition(0, 0, 1, 3)
    drift.setArrayFormula(f'CKDRIFT("open-closed-parity";"n";F1:F3;"{path}")')
    revisions = sheet.getCellRangeByPosition(0, 6, 3, 7)
    revisions.setArrayFormula(
        f'CKREVISIONS("open-closed-parity";"2026-01-01";"2026-05-01";"";"{path}")')
    doc.calculateAll()
    with claimkit.open(office.database, readonly=True, frames=False) as db:
        want = db.drift("open-closed-parity", "n", dates)
        moves = db.revisions("open-closed-parity", "2026-01-01", "2026-05-01")
    data = drift.getDataArray()
    assert list(data[0]) == ["date", "value"]
    assert [r[0] for r in data[1:]] == dates
    assert [r[1] for r in data[1:]] == [("" if w["value"] is None else float(w["value"]))
                                        for w in want]
    data = revisions.getDataArray()
    assert list(data[0]) == list(moves.keys())
    assert list(data[1]) == [float(v) for v in moves.values()]


def test_date_cells_are_dates_where_the_registry_says_so(doc, office):
    """since and until say "format": "date" in ck_functions(): date cells
    given there are those days, as the texts are."""
    path = str(office.database)
    sheet = doc.Sheets.getByIndex(0)
    for i, d in enumerate(["2026-01-01", "2026-05-01"]):
        sheet.getCellByPosition(5, i).setFormula(f"=DATEVALUE(\"{d}\")")
    revisions = sheet.getCellRangeByPosition(0, 0, 3, 1)
    revisions.setArrayFormula(
        f'CKREVISIONS("open-closed-parity";F1;F2;"";"{path}")')
    doc.calculateAll()
    with claimkit.open(office.database, readonly=True, frames=False) as db:
        moves = db.revisions("open-closed-parity", "2026-01-01", "2026-05-01")
        assert [p["format"] for f in db.functions() if f["name"] == "revisions"
                for p in f["params"] if p["name"] in ("since", "until")] == ["date"] * 2
    data = revisions.getDataArray()
    assert list(data[0]) == list(moves.keys())
    assert list(data[1]) == [float(v) for v in moves.values()]
