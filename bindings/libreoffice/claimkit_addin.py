"""claimkit cell functions for LibreOffice Calc: the add-in's UNO component.

Each cell function calls the library through the `claimkit` Python package
(bundled in the extension under pythonpath/, with the library beside it).
The functions and their wizard texts are generated from ck_functions() into
pythonpath/claimkit_calc.py; this file turns each entry into a method.

The database is the optional last argument, else $CLAIMKIT_DB, else
~/.local/share/claimkit/claims.db.  Handles are opened read-only and kept
per path; SQLite shows each call the data other processes have committed.
A bad argument shows as Err:502 (IllegalArgumentException), any other
failure as #VALUE!; CKERROR(function; args...) says why.
"""
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


def _arg(value):
    """A cell argument as the registry takes it: empty -> default."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2 ** 53:
            return int(value)  # 2026 typed in a cell, or an index
        return value
    if isinstance(value, tuple):  # a range: one cell, or a list of values
        flat = [v for row in value for v in (row if isinstance(row, tuple) else (row,))]
        if len(flat) == 1:
            return _arg(flat[0])
        return [_arg(v) for v in flat]
    return value


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

    def _call(self, function, args, db):
        args = [_arg(a) for a in args]
        while args and args[-1] is None:
            args.pop()  # trailing defaults
        database = self._database(db)
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

    def _number(self, function, args, db):
        try:
            value = self._call(function, args, db)
        except claimkit.Error as e:
            raise self._fail(e)
        return float(value) if value is not None else math.nan

    def _string(self, function, args, db):
        try:
            return _cell(self._call(function, args, db))
        except claimkit.Error as e:
            raise self._fail(e)

    def _table(self, function, args, db):
        try:
            rows = self._call(function, args, db)
        except claimkit.Error as e:
            raise self._fail(e)
        if not rows:
            return (("",),)
        header = list(rows[0].keys())
        return (tuple(header),) + tuple(
            tuple(_cell(row.get(k)) for k in header) for row in rows)

    def ckCall(self, fn, args):
        try:
            return _cell(self._call(_arg(fn), list(args), None))
        except claimkit.Error as e:
            raise self._fail(e)

    def ckError(self, fn, args):
        try:
            self._call(_arg(fn), list(args), None)
            return ""
        except claimkit.Error as e:
            return str(e)
        except Exception as e:  # anything the cell would show as an error
            return str(e)


def _method(entry):
    function, kind = entry["function"], entry["kind"]
    call = {"number": ClaimkitAddIn._number, "string": ClaimkitAddIn._string,
            "any": ClaimkitAddIn._string, "table": ClaimkitAddIn._table}[kind]

    def method(self, *args):
        *params, db = args
        return call(self, function, params, _arg(db))
    method.__name__ = entry["cell"]
    return method


for _name, _entry in (claimkit_calc.FUNCTIONS if claimkit_calc else {}).items():
    if _entry["kind"] not in ("call", "error"):
        setattr(ClaimkitAddIn, _name, _method(_entry))

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(
    ClaimkitAddIn, SERVICE, ("com.sun.star.sheet.AddIn", SERVICE))
