#!/usr/bin/python3
"""Builds examples/deepseek-v4/dashboard.ods through UNO, every number a live
claimkit formula, and its picture for the README.

    /usr/bin/python3 tools/build_dashboard.py BUILD_DIR [OUT.ods] [OUT.png]

Starts a headless LibreOffice with a fresh profile, installs
BUILD_DIR/bindings/libreoffice/claimkit.oxt, and lays out three sheets --
Questions, Figures, Quantities -- against a database of the example pack
(the workbook names no file: its cells read CLAIMKIT_DB, else
~/.local/share/claimkit/claims.db).  Formulas set through UNO are stored
under the add-in's programmatic names, which a hand-written file would get
wrong.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bindings" / "libreoffice"))
sys.path.insert(0, str(ROOT / "bindings" / "python"))

PACK = ROOT / "examples" / "deepseek-v4" / "claims.json"
FIGURES = [("openrouter", "weekly-tokens"), ("doubao", "daily-tokens"),
           ("china-ai-market", "daily-tokens"), ("china-ai-market", "daily-tokens-growth"),
           ("doubao", "mau"), ("qwen", "mau"), ("wenxin", "mau"),
           ("deepseek", "valuation"), ("deepseek", "financing-target-valuation"),
           ("chinese-open-models", "open-source-share")]
# Figures as an analyst reads them: thousands separated, shares in percent.
AMOUNT = "#,##0.###"
PERCENT = "0.0%"
# %, pp and bp figures show in their own unit (19.8%, -0.5 pp, 50 bp), the
# stored value staying the fraction: a number format scales only for %, so
# pp and bp cells show the fraction times their scale.
UNIT_SHOWN = {"%": ("", PERCENT), "pp": ("*100", '0.0##" pp"'),
              "bp": ("*10000", '0.##" bp"')}
PHRASES = ["两百多亿美元", "2.26亿到3亿3之间", "将近480", "320左右", "超过了3亿",
           "增长了超过40%", "跌了15%", "1.05万亿元人民币", "20.6万亿", "1M token"]


def q(text):
    return '"' + text.replace('"', '""') + '"'


def write(sheet, rows, widths):
    """rows: lists of literals and "=formula" strings; row 0 is the header."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = sheet.getCellByPosition(c, r)
            if isinstance(value, str) and value.startswith("="):
                cell.setFormula(value)
            elif isinstance(value, (int, float)):
                cell.setValue(value)
            else:
                cell.setString(value)
    header = sheet.getCellRangeByPosition(0, 0, len(rows[0]) - 1, 0)
    header.CharWeight = 150  # bold
    header.CellBackColor = 0xDDE7F0
    for c, width in enumerate(widths):
        sheet.Columns.getByIndex(c).Width = width


def number_format(doc, cells, code):
    from com.sun.star.lang import Locale
    formats = doc.NumberFormats
    locale = Locale("en", "US", "")
    key = formats.queryKey(code, locale, False)
    if key == -1:
        key = formats.addNew(code, locale)
    cells.NumberFormat = key


def cjk_font(doc):
    """Chinese text in Noto Sans CJK (Debian's fonts-noto-cjk), which
    LibreOffice would otherwise guess at from what fontconfig offers."""
    style = doc.StyleFamilies.getByName("CellStyles").getByName("Default")
    style.CharFontNameAsian = "Noto Sans CJK SC"


def fit_pages(doc):
    """Each sheet on one landscape page, for the PDF picture."""
    styles = doc.StyleFamilies.getByName("PageStyles")
    for name in doc.Sheets.ElementNames:
        style = styles.getByName(doc.Sheets.getByName(name).PageStyle)
        if not style.IsLandscape:
            width, height = style.Width, style.Height
            style.IsLandscape = True
            style.Width, style.Height = max(width, height), min(width, height)
        style.ScaleToPagesX = 1
        style.ScaleToPagesY = 1


def layout(doc, db):
    sheets = doc.Sheets
    sheets.insertNewByName("Questions", 0)
    sheets.insertNewByName("Figures", 1)
    sheets.insertNewByName("Quantities", 2)
    for name in list(sheets.ElementNames):
        if name not in ("Questions", "Figures", "Quantities"):
            sheets.removeByName(name)

    questions = db.sql("SELECT id, text FROM questions ORDER BY framework, id")
    rows = [["question", "text", "n", "mean", "cns", "label", "domestic − overseas"]]
    for i, row in enumerate(questions, start=2):
        a = f"$A{i}"
        rows.append([row["id"], row["text"], f"=CKCONSENSUS({a};\"n\")",
                     f"=CKCONSENSUS({a};\"mean\")", f"=CKCONSENSUS({a};\"cns\")",
                     f"=CKLABEL({a})", f"=CKSPLIT({a})"])
    sheet = sheets.getByName("Questions")
    write(sheet, rows, [6500, 13000, 1200, 2000, 2000, 2600, 3600])
    last = len(rows) - 1
    number_format(doc, sheet.getCellRangeByPosition(3, 1, 3, last), "+0.00;-0.00;0.00")
    number_format(doc, sheet.getCellRangeByPosition(4, 1, 4, last), "0.00")
    number_format(doc, sheet.getCellRangeByPosition(6, 1, 6, last), "+0.00;-0.00;0.00")

    labs = db.sql("SELECT DISTINCT entity FROM observations WHERE metric = 'aa-index' "
                  "AND period = '2026-03'")
    labs = sorted((r["entity"] for r in labs),
                  key=lambda e: -db.value(e, "aa-index", "2026-03"))
    rows = [["lab", "index 2026-03", "rank", "gap to leader"]]
    for i, lab in enumerate(labs, start=2):
        rows.append([lab, f"=CKVALUE($A{i};\"aa-index\";\"2026-03\")",
                     f"=CKRANK(\"aa-index\";$A{i};\"2026-03\")",
                     f"=CKGAP(\"aa-index\";$A{i};$A$2;\"2026-03\")"])
    start = len(rows) + 2
    rows.append([""] * 4)
    rows.append(["entity", "metric", "value", "lo", "hi", "unit", "range"])
    units = {m["id"]: m.get("unit", "") for m in db.metrics()}
    percent_rows = []
    for i, (entity, metric) in enumerate(FIGURES, start=start + 1):
        unit = units.get(metric, "")
        scale, fmt = UNIT_SHOWN.get(unit, ("", AMOUNT))
        if unit in UNIT_SHOWN:
            percent_rows.append((i - 1, fmt))
        rows.append([entity, metric, f"=CKVALUE($A{i};$B{i};\"\";\"value\"){scale}",
                     f"=CKVALUE($A{i};$B{i};\"\";\"lo\"){scale}",
                     f"=IFERROR(CKVALUE($A{i};$B{i};\"\";\"hi\"){scale};\"no upper bound\")",
                     unit,
                     f"=IF($D{i}=$E{i};\"\";TEXT($D{i};\"{fmt}\")&\" – \"&"
                     f"IF(ISNUMBER($E{i});TEXT($E{i};\"{fmt}\");\"∞\"))"])
    for row in rows:
        row += [""] * (7 - len(row))
    sheet = sheets.getByName("Figures")
    write(sheet, rows, [5000, 6500, 5200, 5200, 5200, 1800, 8400])
    number_format(doc, sheet.getCellRangeByPosition(1, 1, 1, len(labs)), "0.00")
    number_format(doc, sheet.getCellRangeByPosition(3, 1, 3, len(labs)), "+0.00;-0.00;0.00")
    number_format(doc, sheet.getCellRangeByPosition(2, start, 4, len(rows) - 1), AMOUNT)
    for r, fmt in percent_rows:
        number_format(doc, sheet.getCellRangeByPosition(2, r, 4, r), fmt)

    rows = [["phrase", "value", "lo", "hi", "unit", "qualifier"]]
    phrase_units = [db.quantity(phrase, 0, "unit") for phrase in PHRASES]
    for i, phrase in enumerate(PHRASES, start=2):
        a = f"$A{i}"
        scale = UNIT_SHOWN.get(phrase_units[i - 2], ("", AMOUNT))[0]
        rows.append([phrase, f"=CKQTY({a};0;\"value\"){scale}",
                     f"=CKQTY({a};0;\"lo\"){scale}",
                     f"=IFERROR(CKQTY({a};0;\"hi\"){scale};\"no upper bound\")",
                     f"=CKQTY({a};0;\"unit\")", f"=CKQTY({a};0;\"qualifier\")"])
    sheet = sheets.getByName("Quantities")
    write(sheet, rows, [5500, 5200, 5200, 5200, 2000, 2600])
    number_format(doc, sheet.getCellRangeByPosition(1, 1, 3, len(rows) - 1), AMOUNT)
    for r, unit in enumerate(phrase_units, start=1):
        if unit in UNIT_SHOWN:
            number_format(doc, sheet.getCellRangeByPosition(1, r, 3, r),
                          UNIT_SHOWN[unit][1])
    fit_pages(doc)


def main(build_dir, out_ods, out_png):
    import claimkit
    from office import Office

    oxt = pathlib.Path(build_dir) / "bindings" / "libreoffice" / "claimkit.oxt"
    work = pathlib.Path(tempfile.mkdtemp(prefix="claimkit-dashboard-"))
    try:
        database = work / "claims.db"
        with claimkit.open(database) as db:
            db.import_pack(PACK)
        env = dict(os.environ, CLAIMKIT_DB=str(database))
        profile = work / "profile"
        with Office(profile, env) as office:
            office.install(oxt)
        with Office(profile, env) as office, \
                claimkit.open(database, readonly=True, frames=False) as db:
            doc = office.new_calc()
            layout(doc, db)
            cjk_font(doc)
            doc.calculateAll()
            office.save(doc, out_ods, "calc8")
            pdf = work / "dashboard.pdf"
            office.save(doc, pdf, "calc_pdf_Export")
            doc.close(True)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1",
                        "-singlefile", str(pdf), str(work / "page")], check=True)
        shutil.copy(work / "page.png", out_png)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    build = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build" / "test")
    ods = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "examples" / "deepseek-v4" / "dashboard.ods")
    png = sys.argv[3] if len(sys.argv) > 3 else str(ROOT / "docs" / "dashboard.png")
    os.environ.setdefault("CLAIMKIT_LIBRARY", str(pathlib.Path(build) / "core" / "libclaimkit.so"))
    main(build, ods, png)
