"""claimkit cell functions for LibreOffice Calc: the add-in's UNO component.

Each cell function calls the library through the `claimkit` Python package
(bundled in the extension under pythonpath/, with the library beside it).
The functions and their wizard texts are generated from ck_functions() into
pythonpath/claimkit_calc.py; this file turns each entry into a method.

The database is the optional last argument, else $CLAIMKIT_DB, else
~/.local/share/claimkit/claims.db.  Handles are opened read-only and kept
per path; SQLite shows each call the data other processes have committed.
A bad argument shows as Err:502 (IllegalArgumentException), any other
failure as #VALUE!, an unbounded result as #NUM!; CKERROR(function;
args...; [database]) says why.

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


PERIOD_PARAMS = {"period", "from", "to"}
DATE_PARAMS = {"since", "until", "as_of", "date"}
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


def _arg(value, name=None, kind=None):
    """A cell argument as the registry takes it.  `name` and `kind` are the
    parameter's name and type, when known."""
    if isinstance(value, tuple):  # a range: one cell, or several
        rows = [row if isinstance(row, tuple) else (row,) for row in value]
        cells = [v for row in rows for v in row]
        if len(cells) == 1:
            return _arg(cells[0], name, kind)
        if kind in (None, "array", "any"):  # a list is what it takes
            return [_arg(v, name, "any") for v in cells]
        return Range([[_arg(v, name, kind) for v in row] for row in rows])
    if value is None or value == "":
        return None
    if isinstance(value, float) and not isinstance(value, bool):
        if kind == "string":
            if value == 0:
                return None  # an empty cell: Calc passes it as 0
            if name in PERIOD_PARAMS and value >= 1:
                return _period(value)
            if name in DATE_PARAMS and value >= 1:
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
    def _database(self, db):
        # keyed by the cell's argument: a recalculation asks this thousands
        # of times, and the path it names does not change while open
        key = db if isinstance(db, str) and db else None
        handle = self.handles.get(key)
        if handle is None or handle.closed:
            path = key or os.environ.get("CLAIMKIT_DB") or DEFAULT_DB
            handle = claimkit.open(os.path.expanduser(path), readonly=True,
                                   frames=False)
            self.handles[key] = handle
        return handle

    def _params(self, database, function):
        """(names, types) of a registry function's parameters."""
        cache = self.__dict__.setdefault("signatures", {})
        key = (id(database), function)
        if key not in cache:
            fn = next((f for f in database.functions() if f["name"] == function), None)
            if fn is None:
                return None
            cache[key] = ([p["name"] for p in fn["params"]],
                          [p["type"] for p in fn["params"]])
        return cache[key]

    def _read(self, args, names, types):
        return [_arg(a, names[i] if names and i < len(names) else None,
                     types[i] if types and i < len(types) else None)
                for i, a in enumerate(args)]

    def _call(self, function, args, db, names=None, types=None):
        """Calls the function on cell arguments; a Range among them makes
        the answer an Array of the range's shape."""
        args = self._read(args, names, types)
        while args and args[-1] is None:
            args.pop()  # trailing defaults
        database = self._database(db)
        ranges = [a for a in args if isinstance(a, Range)]
        if not ranges:
            return self._one(database, db, function, args)
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
                value = self._one(database, db, function, one)
                row.append(_cell(value) if not isinstance(value, float) else value)
            rows.append(tuple(row))
        return Array(rows)

    def _one(self, database, db, function, args):
        try:
            return database.call(function, *args)
        except claimkit.NotFoundError as e:
            if "no function" not in str(e):
                raise
            # registered since this handle was opened: open it again
            database.close()
            return self._database(db).call(function, *args)

    def _fail(self, error):
        if isinstance(error, claimkit.InvalidError):
            return IllegalArgumentException(str(error), self, 0)
        return RuntimeException(str(error), self)

    def _entry_call(self, function, args, db):
        entry = ENTRIES[function]
        return self._call(function, args, db, entry["labels"], entry["types"])

    def _number(self, function, args, db):
        try:
            value = self._entry_call(function, args, db)
        except claimkit.Error as e:
            raise self._fail(e)
        if isinstance(value, Array):
            return value
        if isinstance(value, (int, float)):
            return ((float(value),),)
        return ((value if value is not None else math.nan,),)

    def _string(self, function, args, db):
        try:
            value = self._entry_call(function, args, db)
        except claimkit.Error as e:
            raise self._fail(e)
        return value if isinstance(value, Array) else ((_cell(value),),)

    def _table(self, function, args, db):
        try:
            rows = self._entry_call(function, args, db)
        except claimkit.Error as e:
            raise self._fail(e)
        if not rows:
            return (("",),)
        header = list(rows[0].keys())
        return (tuple(header),) + tuple(
            tuple(_cell(row.get(k)) for k in header) for row in rows)

    def _free_call(self, fn, args):
        """CKCALL and CKERROR: the function by name; one argument more than
        it takes is the database."""
        function = _arg(fn)
        args = list(args)

        def signature(db):
            if not isinstance(function, str):
                return None
            return self._params(self._database(db), function)

        db = None
        try:
            found = signature(None)
        except claimkit.Error:
            # no default database: then the last argument must name one
            if not args:
                raise
            db = _arg(args[-1], "db", "string")
            found = signature(db)
            if not found or len(args) <= len(found[0]):
                raise
            args.pop()
        else:
            if found and len(args) > len(found[0]):
                db = _arg(args.pop(), "db", "string")
                found = signature(db) or found
        names, types = found if found else (None, None)
        return function, self._call(function, args, db, names, types)

    def ckCall(self, fn, args):
        try:
            function, value = self._free_call(fn, args)
        except claimkit.Error as e:
            raise self._fail(e)
        if isinstance(value, Array):  # CKCALL's result is one cell
            raise self._fail(claimkit.InvalidError(
                f"{function}: CKCALL takes one value per argument, not a range",
                claimkit._native.INVALID))
        return _cell(value)

    def ckError(self, fn, args):
        try:
            function, value = self._free_call(fn, args)
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

    def method(self, *args):
        *params, db = args
        return call(self, function, params, _arg(db, "db", "string"))
    method.__name__ = entry["cell"]
    return method


for _name, _entry in (claimkit_calc.FUNCTIONS if claimkit_calc else {}).items():
    if _entry["kind"] not in ("call", "error"):
        setattr(ClaimkitAddIn, _name, _method(_entry))

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(
    ClaimkitAddIn, SERVICE, ("com.sun.star.sheet.AddIn", SERVICE))
