"""claimkit cell functions for LibreOffice Calc: the add-in's UNO component.

Each cell function calls the library through the `claimkit` Python package
(bundled in the extension under pythonpath/, with the library beside it).
The functions and their wizard texts are generated from ck_functions() into
pythonpath/claimkit_calc.py; this file turns each entry into a method.

The database is the optional last argument, else the workbook's (a cell
named CLAIMKIT_DB, or a user-defined document property CLAIMKIT_DB, read at
every call from the calling document, which Calc hands to each function as a
hidden first parameter), else $CLAIMKIT_DB, else
~/.local/share/claimkit/claims.db.  Functions that read no stored data
(quantity, quantities, segments, draft) answer without any database.  A
database path given in a parameter's place is taken as the database when it
names a file and nothing follows it; a `.db` name that is no file is refused
with where the path goes.  Handles are opened read-only and kept per path;
SQLite shows each call the data other processes have committed.
A bad argument shows as Err:502 (IllegalArgumentException), any other
failure as #VALUE!, an unbounded result as #NUM!; CKERROR(function;
args...; [database]) says why, naming the database it tried.

Cells are read as spreadsheet users mean them: an empty cell (which Calc
hands over as 0) in a text parameter is an omitted argument; a number where
a period is expected is a date (the first of a month is that month) or,
from 1900 to 2100, a year; a range where one value is expected gives an
array of results of the same shape, so SUMPRODUCT(CKVALUE(A1:A3; ...))
works.
"""
import datetime
import json
import math
import os
import time

import unohelper
from com.sun.star.lang import IllegalArgumentException, XServiceInfo, XServiceName
from com.sun.star.uno import RuntimeException

SERVICE = "org.claimkit.Claimkit"  # = claimkit_calc.SERVICE, checked below

# While the extension is being installed, its types and its pythonpath/ are
# not live yet: registering needs only SERVICE, and the next start of the
# office loads this module again with everything in place.
try:
    from org.claimkit import XClaimkit
except ImportError:
    class XClaimkit:
        pass
try:
    import claimkit
    import claimkit_calc
except ImportError:
    claimkit = claimkit_calc = None
else:
    assert claimkit_calc.SERVICE == SERVICE

DEFAULT_DB = "~/.local/share/claimkit/claims.db"
WORKBOOK_NAME = "CLAIMKIT_DB"
WORKBOOK_SECONDS = 0.25
# Registry functions that read nothing stored: with no database they answer
# from an empty one in memory (draft then has an empty codebook).
NO_DATA = {"quantity", "quantities", "segments", "draft", "sheet_fields"}
DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".ckdb")


def _workbook_database(doc):
    """The database the calling workbook names, or None: the text of a cell
    named CLAIMKIT_DB, else a user-defined document property CLAIMKIT_DB."""
    if doc is None:
        return None
    try:
        names = doc.getPropertyValue("NamedRanges")
        if names.hasByName(WORKBOOK_NAME):
            cells = names.getByName(WORKBOOK_NAME).getReferredCells()
            text = cells.getCellByPosition(0, 0).getString().strip() if cells else ""
            if text:
                return text
    except Exception:  # not a spreadsheet's model, or a name that is no range
        pass
    try:
        props = doc.getDocumentProperties().getUserDefinedProperties()
        value = props.getPropertyValue(WORKBOOK_NAME)
        if isinstance(value, str) and value.strip():
            return value.strip()
    except Exception:  # no such property
        pass
    return None


def _names_a_database(value):
    """A text that can only be a database file's path."""
    return isinstance(value, str) and value.lower().endswith(DATABASE_SUFFIXES)


EPOCH = datetime.date(1899, 12, 30)  # Calc's day 0


def _period(value):
    """A number in a period cell: a year (1900-2100), else a date -- the
    first of a month is that month."""
    if value == int(value) and 1900 <= value <= 2100:
        return str(int(value))
    day = EPOCH + datetime.timedelta(days=int(value))
    return day.strftime("%Y-%m") if day.day == 1 else day.isoformat()


def _date(value):
    return (EPOCH + datetime.timedelta(days=int(value))).isoformat()


class Array(tuple):
    """The answer of a call given a range: rows of cell values."""


class Range:
    """A range of several cells where one value is expected: rows of
    cells, each already read as an argument."""

    def __init__(self, rows):
        self.rows = rows

    @property
    def shape(self):
        return (len(self.rows), len(self.rows[0]))


def _arg(value, form=None, kind=None):
    """A cell argument as the registry takes it.  `form` and `kind` are the
    parameter's "format" (period, date: what a date cell there means; for
    a list, each item's) and type in ck_functions(), when known."""
    if isinstance(value, tuple):  # a range: one cell, or several
        rows = [row if isinstance(row, tuple) else (row,) for row in value]
        cells = [v for row in rows for v in row]
        if len(cells) == 1 and kind != "array":
            return _arg(cells[0], form, kind)
        if kind in (None, "array", "any"):  # a list is what it takes
            return [_arg(v, form, "any") for v in cells]
        return Range([[_arg(v, form, kind) for v in row] for row in rows])
    if value is None or value == "":
        return None
    if isinstance(value, float) and not isinstance(value, bool):
        if kind == "string" and value == 0:
            return None  # an empty cell: Calc passes it as 0
        if form == "period" and value >= 1:
            return _period(value)
        if form == "date" and value >= 1:
            return _date(value)
        if value.is_integer() and abs(value) < 2 ** 53:
            return int(value)  # 2026 typed in a cell, or an index
        return value
    return value


def _unbounded(function, value):
    """Why a number result is an error cell, or None."""
    if isinstance(value, float) and math.isinf(value):
        return (f"{function}: the result is {'+' if value > 0 else '-'}∞ (an "
                "open bound), which a cell shows as #NUM!")
    if isinstance(value, float) and value != value:
        return f"{function}: the result is not a number"
    return None


def _cell(value):
    """A result as a cell value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _database_in_place(cell, labels, params, db):
    """A database path typed in a parameter's place, as users do when they
    count semicolons wrong: taken as the database when it names a file and
    nothing follows it, else refused with where the path goes."""
    if db not in (None, ""):
        return params, db
    for i, value in enumerate(params):
        value = _arg(value)
        if not _names_a_database(value):
            continue
        rest = [_arg(v) for v in params[i + 1:]]
        if all(v is None for v in rest) and os.path.isfile(os.path.expanduser(value)):
            return params[:i], value
        raise claimkit.InvalidError(
            f"{cell}: '{value}' is given as {labels[i] if i < len(labels) else 'an extra argument'}, "
            f"but names a database file: the database goes last, after every "
            f"parameter: {cell}({'; '.join(labels)}; database), or once for the "
            f"workbook in a cell named CLAIMKIT_DB", claimkit._native.INVALID)
    return params, db


class ClaimkitAddIn(unohelper.Base, XClaimkit, XServiceName, XServiceInfo):
    def __init__(self, ctx):
        self.ctx = ctx
        self.handles = {}

    # ---- XServiceName, XServiceInfo ----------------------------------------
    def getServiceName(self):
        return SERVICE

    def getImplementationName(self):
        return SERVICE

    def supportsService(self, name):
        return name in self.getSupportedServiceNames()

    def getSupportedServiceNames(self):
        return ("com.sun.star.sheet.AddIn",)

    # ---- calling the library -----------------------------------------------
    def _workbook(self, doc):
        """The workbook's database, read again once a recalculation's calls
        are past WORKBOOK_SECONDS: reading it costs several UNO calls, far
        more than a cell's whole answer, and a recalculation asks it for
        every cell of the same document."""
        now = time.monotonic()
        last = self.__dict__.get("workbook")
        if last and last[0] == doc and now - last[1] < WORKBOOK_SECONDS:
            return last[2]
        named = _workbook_database(doc)
        self.workbook = (doc, now, named)
        return named

    def _where(self, db, doc):
        """(path, why) of the database a call uses; why is None when the
        call's own argument names it."""
        if isinstance(db, str) and db:
            return db, None
        named = self._workbook(doc)
        if named:
            return named, "named by the workbook's CLAIMKIT_DB"
        if os.environ.get("CLAIMKIT_DB"):
            return os.environ["CLAIMKIT_DB"], "named by $CLAIMKIT_DB"
        return DEFAULT_DB, ("the default database: no database argument, no "
                            "CLAIMKIT_DB cell or property in the workbook, no "
                            "$CLAIMKIT_DB")

    def _database(self, db, doc=None, function=None):
        path, why = self._where(db, doc)
        # keyed by the path: a recalculation asks this thousands of times
        handle = self.handles.get(path)
        if handle is None or handle.closed:
            try:
                handle = claimkit.open(os.path.expanduser(path),
                                       readonly=path != ":memory:", frames=False)
            except claimkit.Error as e:
                if why is not None and function in NO_DATA:
                    return self._database(":memory:")
                if why is None:
                    raise
                raise type(e)(f"{e} ({why})", e.code) from None
            self.handles[path] = handle
        return handle

    def _params(self, database, function):
        """(names, types, formats) of a registry function's parameters."""
        cache = self.__dict__.setdefault("signatures", {})
        key = (id(database), function)
        if key not in cache:
            fn = next((f for f in database.functions() if f["name"] == function), None)
            if fn is None:
                return None
            cache[key] = ([p["name"] for p in fn["params"]],
                          [p["type"] for p in fn["params"]],
                          [p.get("format") for p in fn["params"]])
        return cache[key]

    def _read(self, args, formats, types):
        return [_arg(a, formats[i] if formats and i < len(formats) else None,
                     types[i] if types and i < len(types) else None)
                for i, a in enumerate(args)]

    def _call(self, function, args, db, formats=None, types=None, doc=None):
        """Calls the function on cell arguments; a Range among them makes
        the answer an Array of the range's shape."""
        args = self._read(args, formats, types)
        while args and args[-1] is None:
            args.pop()  # trailing defaults
        database = self._database(db, doc, function)
        ranges = [a for a in args if isinstance(a, Range)]
        if not ranges:
            return self._one(database, db, function, args, doc)
        shape = ranges[0].shape
        if any(r.shape != shape for r in ranges):
            raise claimkit.InvalidError(
                f"{function}: ranges of different shapes "
                f"({' and '.join(f'{r.shape[0]}x{r.shape[1]}' for r in ranges)})",
                claimkit._native.INVALID)
        rows = []
        for i in range(shape[0]):
            row = []
            for j in range(shape[1]):
                one = [a.rows[i][j] if isinstance(a, Range) else a for a in args]
                value = self._one(database, db, function, one, doc)
                row.append(_cell(value) if not isinstance(value, float) else value)
            rows.append(tuple(row))
        return Array(rows)

    def _one(self, database, db, function, args, doc):
        try:
            return database.call(function, *args)
        except claimkit.NotFoundError as e:
            if "no function" not in str(e):
                raise
            # registered since this handle was opened: open it again
            database.close()
            return self._database(db, doc, function).call(function, *args)

    def _fail(self, error):
        if isinstance(error, claimkit.InvalidError):
            return IllegalArgumentException(str(error), self, 0)
        return RuntimeException(str(error), self)

    def _entry_call(self, function, args, db, doc):
        entry = ENTRIES[function]
        args, db = _database_in_place(entry["cell"], entry["labels"], list(args), db)
        return self._call(function, args, db, entry["formats"], entry["types"], doc)

    def _number(self, function, args, db, doc):
        try:
            value = self._entry_call(function, args, db, doc)
        except claimkit.Error as e:
            raise self._fail(e)
        if isinstance(value, Array):
            return value
        if isinstance(value, (int, float)):
            return ((float(value),),)
        return ((value if value is not None else math.nan,),)

    def _string(self, function, args, db, doc):
        try:
            value = self._entry_call(function, args, db, doc)
        except claimkit.Error as e:
            raise self._fail(e)
        return value if isinstance(value, Array) else ((_cell(value),),)

    def _table(self, function, args, db, doc):
        try:
            rows = self._entry_call(function, args, db, doc)
        except claimkit.Error as e:
            raise self._fail(e)
        if isinstance(rows, dict):  # an object: its keys over its values
            rows = [rows]
        if not rows:
            return (("",),)
        header = list(rows[0].keys())
        return (tuple(header),) + tuple(
            tuple(_cell(row.get(k)) for k in header) for row in rows)

    def _free_call(self, fn, args, doc):
        """CKCALL and CKERROR: the function by name; one argument more than
        it takes is the database."""
        function = _arg(fn)
        args = list(args)

        def signature(db):
            if not isinstance(function, str):
                return None
            return self._params(self._database(db, doc, function), function)

        def built_in_signature():
            # a database that cannot be opened has no functions of its own:
            # the built-in ones say how many arguments the call takes
            return self._params(self._database(":memory:"), function)

        db = None
        try:
            found = signature(None)
        except claimkit.Error:
            # no default database: the last argument names one only when
            # the call has one argument more than the function takes
            found = built_in_signature()
            if not found:
                raise
            if len(args) > len(found[0]):
                db = _arg(args.pop(), None, "string")
            else:  # or a path in a parameter's place
                args, db = _database_in_place(function, found[0], args, None)
                if db is None:
                    raise
            found = signature(db)
        else:
            if found and len(args) > len(found[0]):
                db = _arg(args.pop(), None, "string")
                found = signature(db) or found
        names, types, formats = found if found else (None, None, None)
        if names is not None:
            args, db = _database_in_place(function, names, args, db)
        return function, self._call(function, args, db, formats, types, doc)

    def ckCall(self, doc, fn, args):
        try:
            function, value = self._free_call(fn, args, doc)
        except claimkit.Error as e:
            raise self._fail(e)
        if isinstance(value, Array):  # CKCALL's result is one cell
            raise self._fail(claimkit.InvalidError(
                f"{function}: CKCALL takes one value per argument, not a range",
                claimkit._native.INVALID))
        return _cell(value)

    def ckError(self, doc, fn, args):
        try:
            function, value = self._free_call(fn, args, doc)
        except claimkit.Error as e:
            return str(e)
        except Exception as e:  # anything the cell would show as an error
            return str(e)
        if isinstance(value, Array):  # an array: its first error cell
            for row in value:
                for v in row:
                    if _unbounded(function, v):
                        return _unbounded(function, v)
            return ""
        return _unbounded(function, value) or ""


ENTRIES = {e["function"]: e for e in (claimkit_calc.FUNCTIONS.values()
                                      if claimkit_calc else ()) if e["function"]}


def _method(entry):
    function, kind = entry["function"], entry["kind"]
    call = {"number": ClaimkitAddIn._number, "string": ClaimkitAddIn._string,
            "any": ClaimkitAddIn._string, "table": ClaimkitAddIn._table}[kind]

    def method(self, doc, *args):
        *params, db = args
        return call(self, function, params, _arg(db, None, "string"), doc)
    method.__name__ = entry["cell"]
    return method


for _name, _entry in (claimkit_calc.FUNCTIONS if claimkit_calc else {}).items():
    if _entry["kind"] not in ("call", "error"):
        setattr(ClaimkitAddIn, _name, _method(_entry))

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(
    ClaimkitAddIn, SERVICE, ("com.sun.star.sheet.AddIn", SERVICE))
