"""The installed Calc add-in (the C++ component when the build found
LibreOffice's SDK) answers generated cells as the Python add-in,
claimkit_addin.py, does: the same values, the same error kind (Err:502 for
a bad argument), the same CKERROR texts.  The Python add-in is the
specification of behaviour; it is called here in-process with the values
Calc hands an add-in for the same literal arguments."""
import math
import os
import random
import sys

import pytest

import claimkit
from conftest import PACK, SOURCE

sys.path.insert(0, str(SOURCE / "bindings" / "libreoffice"))

TEXTS = ["deepseek", "aa-index", "2026-03", "open-closed-parity", "cns", "n", "hi", "lo",
         "value", "google", "openai", "jefferies", "stanford-hai", "region=domestic",
         "DeepSeek", "智能指数", "两百多亿美元", "3Q23", "FY2024", "nope", "", " ",
         'a "quoted" text', "x.db", "/nonexistent/y.sqlite", "mau", "qwen", "2025",
         "mean", "domestic", "overseas", "region", "约3亿"]
NUMBERS = [0, 1, 3, 2026, 46082, 46136, -3.5, 0.25, 12345.678]
CALLS = 160  # of each form
# calls that answer, which the generator mutates: one argument replaced,
# one more, or the database after them
GOOD = [("value", "deepseek", "aa-index"), ("value", "deepseek", "aa-index", "2026-03", "hi"),
        ("consensus", "open-closed-parity", "n"), ("label", "open-closed-parity"),
        ("quantity", "两百多亿美元", 0, "unit"), ("rank", "aa-index", "deepseek"),
        ("stance", "open-closed-parity", "stanford-hai"), ("ratio", "aa-index", "google",
                                                           "deepseek")]


@pytest.fixture(scope="module")
def office(tmp_path_factory, build_dir):
    from office import Office
    oxt = build_dir / "bindings" / "libreoffice" / "claimkit.oxt"
    work = tmp_path_factory.mktemp("calc-parity")
    database = work / "claims.db"
    with claimkit.open(database) as db:
        db.import_pack(PACK)
    env = dict(os.environ, CLAIMKIT_DB=str(database))
    with Office(work / "profile", env) as o:
        o.install(oxt)
    with Office(work / "profile", env) as o:
        o.database = database
        yield o


@pytest.fixture
def python_addin(office, build_dir, monkeypatch):
    sys.path.insert(0, str(build_dir / "bindings" / "libreoffice" / "oxt" / "pythonpath"))
    import claimkit_addin
    import claimkit_calc
    monkeypatch.setenv("CLAIMKIT_DB", str(office.database))
    return claimkit_addin.ClaimkitAddIn(None), claimkit_calc.FUNCTIONS


def literal(value):
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def mutated(args, rng, pool, database):
    """A good call's arguments as they are, with one replaced, with one
    more, or with the database after them."""
    args = list(args)
    change = rng.randrange(4)
    if change == 1:
        args[rng.randrange(len(args))] = rng.choice(pool)
    elif change == 2:
        args.append(rng.choice(pool))
    elif change == 3:
        args.append(str(database))
    return args


def generated(functions, rng, database):
    """(formula, python call) pairs: the table's cell functions with some
    of their arguments, and CKCALL and CKERROR of registry functions."""
    entries = [(m, e) for m, e in functions.items() if e["kind"] in ("number", "string", "any")]
    pool = TEXTS + NUMBERS
    for _ in range(CALLS):
        method, entry = rng.choice(entries)
        n = len(entry["params"]) + 1  # and the database
        args = [rng.choice(pool) for _ in range(rng.randint(1, n))]
        good = [g for g in GOOD if g[0] == entry["function"]]
        if good and rng.random() < 0.6:
            args = mutated(good[0][1:], rng, pool, database)[:n]
        padded = [float(a) if not isinstance(a, str) else a for a in args]
        padded += [None] * (n - len(args))  # omitted: Calc hands void
        if rng.random() < 0.2:  # the database, in its place or a parameter's
            args.insert(rng.randrange(len(args) + 1), str(database))
            args = args[:n]
            padded = [float(a) if not isinstance(a, str) else a for a in args]
            padded += [None] * (n - len(args))
        yield (f"={entry['cell']}({';'.join(map(literal, args))})", "cell", method, padded)
    names = [e["function"] for e in functions.values() if e["function"]] + ["no_such_fn"]
    for _ in range(CALLS):
        form = rng.choice(["CKCALL", "CKERROR"])
        if rng.random() < 0.5:
            fn = rng.choice(names)
            args = [rng.choice(pool) for _ in range(rng.randint(0, 5))]
        else:
            fn, *args = rng.choice(GOOD)
            args = mutated(args, rng, pool, database)
        values = tuple(float(a) if not isinstance(a, str) else a for a in args)
        text = ";".join([literal(fn)] + [literal(a) for a in args])
        yield (f"={form}({text})", form, fn, values)


def python_answer(addin, form, name, args):
    """('value', v) or ('error', 502 or None for any other error)."""
    from com.sun.star.lang import IllegalArgumentException
    try:
        if form == "cell":
            value = getattr(addin, name)(None, *args)[0][0]
        elif form == "CKCALL":
            value = addin.ckCall(None, name, args)
        else:
            value = addin.ckError(None, name, args)
    except IllegalArgumentException:
        return "error", 502
    except Exception:
        return "error", None
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return "error", None
    return "value", value


def test_generated_cells_answer_as_the_python_add_in_does(office, python_addin):
    addin, functions = python_addin
    calls = list(generated(functions, random.Random(2326), office.database))
    doc = office.new_calc()
    try:
        sheet = doc.Sheets.getByIndex(0)
        for row, (formula, *_) in enumerate(calls):
            sheet.getCellByPosition(0, row).setFormula(formula)
        doc.calculateAll()
        kinds = set()
        for row, (formula, form, name, args) in enumerate(calls):
            cell = sheet.getCellByPosition(0, row)
            kind, want = python_answer(addin, form, name, args)
            kinds.add((form, kind, want if kind == "error" else type(want).__name__))
            if kind == "error":
                assert cell.getError() != 0, formula
                if want == 502:
                    assert cell.getError() == 502, formula
                else:
                    assert cell.getError() != 502, formula
            elif isinstance(want, str):
                assert (cell.getError(), cell.getString()) == (0, want), formula
            else:
                assert (cell.getError(), cell.getValue()) == (0, pytest.approx(want)), formula
    finally:
        doc.close(True)
    # the material reached every kind of answer, not only errors
    wanted = {("cell", "value", "float"), ("cell", "value", "str"), ("cell", "error", 502),
              ("cell", "error", None), ("CKERROR", "value", "str"),
              ("CKCALL", "value", "float"), ("CKCALL", "value", "str"),
              ("CKCALL", "error", 502), ("CKCALL", "error", None)}
    assert wanted - kinds == set()
