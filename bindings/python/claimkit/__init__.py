"""claimkit: who believes what, from research notes, as data.

    import claimkit
    with claimkit.open("claims.db") as db:
        db.import_pack("examples/deepseek-v4/claims.json")
        db.consensus("open-closed-parity", "cns")   # 0.5424...
        db.views("open-closed-parity")              # a DataFrame with pandas

Every function of the library's registry is a method of Database, made at
open (and again after a script or an import adds one) from ck_functions(),
with its real signature and documentation: help(db.consensus) says what the
C header says.  Errors raise Error subclasses that carry the status code.
"""
from __future__ import annotations

import ctypes
import html
import inspect
import json
import keyword
import math
import os
import threading
import warnings
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from . import _native

__version__ = "0.2.0"
__all__ = ["open", "Database", "Rows", "Record", "Pack", "SHEET_FIELDS", "Error", "OtherError", "InvalidError",
           "NotFoundError", "NoMemoryError", "IoError", "BusyError",
           "ScriptError", "MisuseError", "ReadOnlyError", "ScriptWarning",
           "library_version", "cjk_fonts"]

_lib = _native.load()


# One encoder for every call's arguments: json.dumps with options builds a
# new JSONEncoder each time, a measurable part of a cell's cost.
_ARGS = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
#: Registry functions with a typed C shortcut, by their parameters.
_SHORTCUTS = {"value": ["entity", "metric", "period", "part"],
              "consensus": ["question", "measure", "filter"]}
#: Their C functions without argtypes: ctypes then converts nothing in
#: Python (a fifth of a warm call); only bytes, None and the handle's
#: c_void_p are ever passed to them.
_SHORTCUT_FNS = {name: _native.unchecked(_lib, "ck_" + name, ctypes.c_double)
                 for name in _SHORTCUTS}

class Error(Exception):
    """A claimkit failure: `code` is the status code (CK_*), `message` what
    was wrong and where."""

    code = _native.ERROR

    def __init__(self, message: str, code: Optional[int] = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class OtherError(Error):
    """CK_ERROR: a failure of no other kind."""
    code = _native.ERROR


class InvalidError(Error, ValueError):
    """CK_INVALID: bad input -- JSON, an argument, a quantity, an id."""
    code = _native.INVALID


class NotFoundError(Error, LookupError):
    """CK_NOTFOUND: no such question, entity or function, or no data."""
    code = _native.NOTFOUND


class NoMemoryError(Error, MemoryError):
    """CK_NOMEM."""
    code = _native.NOMEM


class IoError(Error, OSError):
    """CK_IO: a file or the database could not be read or written."""
    code = _native.IO


class BusyError(Error):
    """CK_BUSY: the database stayed locked past the busy timeout."""
    code = _native.BUSY


class ScriptError(Error):
    """CK_SCRIPT: a Lua error, or a sandbox limit."""
    code = _native.SCRIPT


class MisuseError(Error, RuntimeError):
    """CK_MISUSE: a closed database, a call out of order."""
    code = _native.MISUSE


class ReadOnlyError(Error):
    """CK_READONLY: a write on a database opened read-only."""
    code = _native.READONLY


class ScriptWarning(UserWarning):
    """A script stored in the database failed when it was opened."""


_ERRORS = {cls.code: cls for cls in (OtherError, InvalidError, NotFoundError,
                                     NoMemoryError, IoError, BusyError,
                                     ScriptError, MisuseError, ReadOnlyError)}


def _error(code: int, message: str) -> Error:
    return _ERRORS.get(code, Error)(message, code)


def library_version() -> str:
    """The version of the libclaimkit this package loaded."""
    return _lib.ck_version().decode()


def cjk_fonts(manager: Any = None) -> List[str]:
    """Makes matplotlib draw Chinese under the usual family names ("Noto
    Sans CJK SC" and the other regions'); returns the CJK family names
    matplotlib knows.  See claimkit._fonts."""
    from ._fonts import cjk_fonts as register  # matplotlib only when asked
    return register(manager)


try:  # pandas is optional: lists of rows become DataFrames when it is there
    import pandas as _pandas
except ImportError:  # pragma: no cover - depends on the environment
    _pandas = None


# A file at least this large gets a progress bar by default (about a
# second of import): smaller ones are over before a bar would say much.
PROGRESS_MIN_BYTES = 16_000_000

_TQDM: Any = False  # not looked for yet


def _tqdm() -> Any:
    """tqdm.auto's bar (a widget in Jupyter, text elsewhere), or None when
    tqdm is not installed: it is optional, looked for on first use."""
    global _TQDM
    if _TQDM is False:
        try:
            from tqdm.auto import tqdm as bar
        except ImportError:
            bar = None
        _TQDM = bar
    return _TQDM


class _ImportProgress:
    """A tqdm bar over a file import's bytes, fed by a thread that polls
    ck_progress() -- the one call the library allows on a handle while
    another thread (here, the importing one) is using it."""

    def __init__(self, handle: ctypes.c_void_p, path: str, bar: Any):
        self._handle = handle
        try:
            size = os.path.getsize(path)
        except OSError:  # ck_import_file says why
            size = 0
        self._bar = bar(total=size or None, unit="B",
                        unit_scale=True, desc=os.path.basename(path),
                        leave=True)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True,
                                        name="claimkit-progress")

    def _update(self) -> None:
        total = _lib.ck_progress(self._handle, _native.PROGRESS_TOTAL)
        done = _lib.ck_progress(self._handle, _native.PROGRESS_BYTES)
        claims = _lib.ck_progress(self._handle, _native.PROGRESS_CLAIMS)
        if total > 0 and self._bar.total != total:
            self._bar.total = total
        self._bar.set_postfix(claims=f"{claims:,}", refresh=False)
        self._bar.update(max(0, done - self._bar.n))

    def _poll(self) -> None:
        while not self._done.wait(0.1):
            self._update()

    def __enter__(self) -> "_ImportProgress":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._done.set()
        self._thread.join()
        self._update()  # where it ended: the total, after a success
        self._bar.close()


class Rows(list):
    """A list of row dicts that Jupyter shows as a table."""

    def _repr_html_(self) -> str:
        return _table_html(self)


class Record(dict):
    """A dict result that Jupyter shows as a two-column table."""

    def _repr_html_(self) -> str:
        return _table_html([{"key": k, "value": v} for k, v in self.items()])


def _sheet_fields() -> Tuple[str, ...]:
    """The library's sheet_fields(), from a private in-memory handle: the
    list needs no data.  A library from before it gives the same columns
    as the header of an empty sheet."""
    handle = ctypes.c_void_p()
    try:
        if _lib.ck_open(b":memory:", 0, ctypes.byref(handle)) != _native.OK:
            raise ImportError("claimkit: " + _lib.ck_errmsg(handle).decode())
        text = _lib.ck_call(handle, b"sheet_fields", None)
        if text is not None:
            return tuple(json.loads(text))
        text = _lib.ck_call(handle, b"sheet", None)
        if text is None:
            raise ImportError("claimkit: sheet_fields: "
                              + _lib.ck_errmsg(handle).decode())
        return tuple(json.loads(text).rstrip("\r\n").split(","))
    finally:
        _lib.ck_close(handle)


#: A claim's fields, in the order a claim sheet and claims() give them:
#: the library's sheet_fields().
SHEET_FIELDS = _sheet_fields()


def _claims_frame(claims: List[Dict[str, Any]]) -> Any:
    """Claims as a DataFrame with a column per claim field (and per other
    field any claim has): stance a nullable integer, value, lo and hi
    floats, the rest objects, so a blank column takes text when edited."""
    extra = sorted({k for c in claims for k in c} - set(SHEET_FIELDS))
    frame = _frame(claims, columns=list(SHEET_FIELDS) + extra)
    for column in frame.columns:
        if column == "stance":
            frame[column] = frame[column].astype("Int64")
        elif column in ("value", "lo", "hi"):
            frame[column] = frame[column].astype("float64")
        elif frame[column].dtype != object:
            frame[column] = frame[column].astype(object)
    return frame


class Pack(Record):
    """A claim pack result (draft() gives one): a dict, with its claims as
    a table in `frame` -- a DataFrame with pandas, else a list of rows.
    The frame is made once, so it can be edited: import_pack(pack) then
    imports the pack with the frame's claims."""

    _frame: Any = None
    #: reads a quantity as import does (Database._parsed): a frame's
    #: figures then get the value, lo and hi import would store
    _parsed: Optional[Callable[[str], Any]] = None

    @property
    def frame(self) -> Any:
        if self._frame is None:
            claims = self.get("claims", [])
            if _pandas is None:
                self._frame = Rows(dict(c) for c in claims)
            else:
                self._frame = _claims_frame([_derived_numbers(c, self._parsed)
                                             for c in claims])
        return self._frame

    def to_dict(self, parsed: Optional[Callable[[str], Any]] = None
                ) -> Dict[str, Any]:
        """The pack as a plain dict, with the frame's claims if it was made."""
        pack = dict(self)
        if self._frame is not None:
            pack["claims"] = _claim_records(self._frame, parsed)
        return pack


def _open_bounds(row: Dict[str, Any]) -> Dict[str, Any]:
    """JSON writes an open bound as null: lo is then -inf and hi +inf (a
    bound left out is missing, and stays so)."""
    if row.get("lo", 0) is None or row.get("hi", 0) is None:
        row = dict(row)
        if "lo" in row and row["lo"] is None:
            row["lo"] = -math.inf
        if "hi" in row and row["hi"] is None:
            row["hi"] = math.inf
    return row


def _number_text(v: float) -> str:
    """One way to write every number of a frame: whole numbers with
    thousands separators (300,000,000, not 3.000000e+08 beside 2.0), others
    to six significant digits, open bounds as ±inf."""
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.6g}" if abs(v) < 1e15 else f"{v:.6g}"


_UNIT_SCALES = {"%": (100, "%"), "pp": (100, " pp"), "bp": (1e4, " bp")}


def _unit_text(v: float, unit: str) -> str:
    """A figure in its own unit: 0.198 % is 19.8%, -0.005 pp is -0.5 pp,
    0.005 bp is 50 bp (the stored value stays the fraction)."""
    if v != v or math.isinf(v):
        return _number_text(v)
    scale, suffix = _UNIT_SCALES[unit]
    return f"{v * scale:.4g}{suffix}"


if _pandas is not None:
    class Frame(_pandas.DataFrame):
        """A DataFrame that shows its numbers as _number_text writes them;
        in every other way a DataFrame."""

        @property
        def _constructor(self):  # pandas: what its operations return
            return Frame

        def _shown(self) -> Any:
            """What is displayed: figures in their own unit where it is %,
            pp or bp."""
            if "unit" not in self.columns or len(self) == 0:
                return _pandas.DataFrame(self)
            units = [u if isinstance(u, str) and u in _UNIT_SCALES else None
                     for u in self["unit"].tolist()]
            shown = _pandas.DataFrame(self).copy()
            for column in ("value", "lo", "hi"):
                if column in self.columns and self[column].dtype.kind == "f" \
                        and any(units):
                    shown[column] = [_unit_text(v, u) if u else _number_text(v)
                                     for v, u in zip(self[column], units)]
            return shown

        def __repr__(self) -> str:
            with _pandas.option_context("display.float_format", _number_text):
                return repr(self._shown())

        def _repr_html_(self) -> Any:
            with _pandas.option_context("display.float_format", _number_text):
                return self._shown()._repr_html_()

        def to_string(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("float_format", _number_text)
            return super().to_string(*args, **kwargs)


def _frame(rows: Any, columns: Optional[List[str]] = None) -> Any:
    return Frame(rows, columns=columns)


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if _pandas is not None and not isinstance(v, (list, tuple, dict)):
        try:
            return bool(_pandas.isna(v))
        except (TypeError, ValueError):
            return False
    return isinstance(v, float) and v != v


def _plain(key: str, v: Any) -> Any:
    """A cell of a frame as the JSON a claim field takes."""
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        v = v.item()  # numpy scalars
    if key == "stance" and isinstance(v, float) and v.is_integer():
        return int(v)  # a column with blanks holds its integers as floats
    if key == "tags" and isinstance(v, str):
        # the rule of a sheet's tags cell (docs/sheets.md): JSON when it
        # starts with "[" (left as text for the import to refuse if it is
        # not JSON), else separated by ";", trimmed, empty ones dropped
        if v.strip().startswith("["):
            try:
                return json.loads(v)
            except ValueError:
                return v
        return [t.strip(" \t") for t in v.split(";") if t.strip(" \t")]
    if key == "tags" and isinstance(v, tuple):
        return list(v)
    return v


_NUMBERS = ("value", "lo", "hi")


def _own_numbers(row: Dict[str, Any], i: int,
                 parsed: Optional[Callable[[str], Any]]) -> Dict[str, Any]:
    """A figure's row as a claim gives it: a frame shows every figure's
    value, lo and hi (claims() fills the ones import derived), while a
    claim gives one of value, lo and hi, or quantity.  Numbers that are
    what import would derive from the others are dropped; numbers that
    disagree with them are refused, since either could be the edit."""
    has = [k for k in _NUMBERS if k in row]
    if "quantity" in row and has and parsed is not None:
        want = parsed(row["quantity"])
        if want is not None and all(row[k] == want[k] for k in has):
            return {k: v for k, v in row.items() if k not in _NUMBERS}
        shown = ", ".join(f"{k} {row[k]:g}" for k in has)
        raise InvalidError(
            f"/claims/{i}: {shown} are not what quantity '{row['quantity']}' "
            "says: clear them to keep the quantity, or clear quantity to keep "
            "the numbers", _native.INVALID)
    if "quantity" in row or len(has) < 3:
        return row  # the import judges it
    value, lo, hi = row["value"], row["lo"], row["hi"]
    if value == lo == hi:
        return {k: v for k, v in row.items() if k not in ("lo", "hi")}
    if lo != hi and value == lo + (hi - lo) / 2:  # import's midpoint
        return {k: v for k, v in row.items() if k != "value"}
    raise InvalidError(
        f"/claims/{i}: value {value:g} is not the middle of lo {lo:g} and hi "
        f"{hi:g}: clear value to keep the range, or lo and hi to keep the "
        "value", _native.INVALID)


def _derived_numbers(claim: Dict[str, Any],
                     parsed: Optional[Callable[[str], Any]]) -> Dict[str, Any]:
    """A figure with the value, lo and hi import would store for it: a
    quantity's parsed numbers, a point's bounds, a range's middle (the
    inverse of _own_numbers)."""
    if "question" in claim or all(k in claim for k in _NUMBERS):
        return claim
    has = [k for k in _NUMBERS if k in claim]
    if isinstance(claim.get("quantity"), str) and not has and parsed is not None:
        want = parsed(claim["quantity"])
        return claim if want is None else dict(claim, **{k: want[k] for k in _NUMBERS})
    value, lo, hi = (claim.get(k) for k in _NUMBERS)
    if "quantity" in claim or not all(isinstance(v, (int, float)) and
                                      not isinstance(v, bool)
                                      for v in ([value] if has == ["value"] else [lo, hi])):
        return claim  # not a figure import would store: it says why
    if has == ["value"]:
        return dict(claim, lo=value, hi=value)
    if has == ["lo", "hi"]:
        return dict(claim, value=lo + (hi - lo) / 2)
    return claim


def _claim_records(claims: Any, parsed: Optional[Callable[[str], Any]] = None
                   ) -> List[Dict[str, Any]]:
    """The claims of a DataFrame or a list of dicts, blank cells left out;
    `parsed` reads a quantity's value, lo and hi (None when it is not
    exactly one quantity)."""
    if _pandas is not None and isinstance(claims, _pandas.DataFrame):
        rows = claims.to_dict("records")
    else:
        rows = list(claims)
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InvalidError(f"/claims/{i}: a claim must be a dict, not "
                               f"{type(row).__name__}", _native.INVALID)
        out.append(_own_numbers({str(k): _plain(str(k), v) for k, v in row.items()
                                 if not _is_missing(v)}, i, parsed))
    return out


def _table_html(rows: List[Dict[str, Any]]) -> str:
    columns: List[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns)
        + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _python_name(name: str) -> str:
    """A parameter named like a Python keyword gets a trailing underscore:
    change(..., from_=..., to=...)."""
    return name + "_" if keyword.iskeyword(name) else name


def _registry_name(name: str, names: List[str]) -> str:
    if name.endswith("_") and name[:-1] in names:
        return name[:-1]
    return name


_ANNOTATIONS = {"string": str, "number": float, "integer": int, "boolean": bool,
                "array": list, "object": dict, "any": Any}
_RETURNS = {"number": float, "string": str, "object": dict, "list": list,
            "any": Any}


def _docstring(fn: Dict[str, Any]) -> str:
    lines = [fn["doc"], ""]
    if fn["params"]:
        lines.append("Parameters")
        lines.append("----------")
        for p in fn["params"]:
            default = (f", default {json.dumps(p['default'], ensure_ascii=False)}"
                       if "default" in p else "")
            lines.append(f"{p['name']} : {p['type']}{default}")
            choices = (" (one of " + ", ".join(p["choices"]) + ")"
                       if "choices" in p else "")
            record = (f" (or the {p['record']}'s name or an alias)"
                      if "record" in p else "")
            lines.append(f"    {p['doc']}{record}{choices}")
        lines.append("")
    lines.append(f"Returns {fn['returns']}; raises claimkit.Error subclasses "
                 "(NotFoundError: no such id or no data, InvalidError: a bad "
                 "argument).")
    return "\n".join(lines)


class Database:
    """An open claim database (a ck_db handle).  Use claimkit.open().

    Safe to share between threads: calls on one Database are serialised.
    Registry functions are methods; call(name, ...) reaches any of them.
    """

    _OWN = frozenset()  # filled below: names a registry function may not shadow

    def __init__(self, path: Union[str, os.PathLike, None] = ":memory:",
                 readonly: bool = False, frames: Optional[bool] = None):
        self._lock = threading.RLock()
        self._handle: Optional[ctypes.c_void_p] = None
        self._numeric: Dict[str, bool] = {}
        self._params: Dict[str, List[str]] = {}
        self._fast: Dict[str, Callable[..., Any]] = {}
        self._generated: List[str] = []
        self.path = os.fspath(path) if path is not None else ":memory:"
        self.readonly = readonly
        self.frames = (_pandas is not None) if frames is None else bool(frames)
        if self.frames and _pandas is None:
            raise InvalidError("frames=True needs pandas, which is not installed",
                               _native.INVALID)
        handle = ctypes.c_void_p()
        rc = _lib.ck_open(self.path.encode(),
                          _native.OPEN_READONLY if readonly else 0,
                          ctypes.byref(handle))
        if not handle:
            raise NoMemoryError("out of memory", _native.NOMEM)
        if rc not in (_native.OK, _native.SCRIPT):
            message = _lib.ck_errmsg(handle).decode()
            _lib.ck_close(handle)
            raise _error(rc, message)
        self._handle = handle
        if rc == _native.SCRIPT:
            warnings.warn(_lib.ck_errmsg(handle).decode(), ScriptWarning, stacklevel=3)
        self._refresh()

    # ---- plumbing --------------------------------------------------------

    def _checked(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise MisuseError("the database is closed", _native.MISUSE)
        return self._handle

    def _raise(self, handle: ctypes.c_void_p) -> None:
        raise _error(_lib.ck_errcode(handle), _lib.ck_errmsg(handle).decode())

    def _refresh(self) -> None:
        """(Re)makes one method per registry function."""
        for name in self._generated:
            self.__dict__.pop(name, None)
        self._generated = []
        self._numeric = {}
        self._params = {}
        self._fast = {}
        for fn in self.functions():
            self._numeric[fn["name"]] = fn["returns"] == "number"
            self._params[fn["name"]] = [p["name"] for p in fn["params"]]
            if fn["name"] in self._OWN or fn["name"].startswith("_"):
                continue  # reachable through call()
            setattr(self, fn["name"], self._method(fn))
            self._generated.append(fn["name"])

    def _method(self, fn: Dict[str, Any]) -> Callable[..., Any]:
        name = fn["name"]
        names = [p["name"] for p in fn["params"]]
        encoded = name.encode()
        invoke = self._invoke

        def method(*args: Any, **kwargs: Any) -> Any:
            return invoke(encoded, names, args, kwargs)

        if _SHORTCUTS.get(name) == names:
            method = self._fast[name] = self._shortcut(_SHORTCUT_FNS[name], encoded, names)

        params = [inspect.Parameter(
            _python_name(p["name"]), inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=p.get("default", inspect.Parameter.empty),
            annotation=_ANNOTATIONS.get(p["type"], Any)) for p in fn["params"]]
        try:
            method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
                params, return_annotation=_RETURNS.get(fn["returns"], Any))
        except ValueError:  # a required parameter after one with a default
            pass
        method.__name__ = name
        method.__qualname__ = f"Database.{name}"
        method.__doc__ = _docstring(fn)
        return method

    def _shortcut(self, c_fn: Any, encoded: bytes,
                  names: List[str]) -> Callable[..., Any]:
        """value and consensus through ck_value and ck_consensus, a
        spreadsheet's warm call: no JSON made, nothing looked up by name.
        Only non-empty strings without NUL go this way (C takes "" and NULL
        alike, and a NUL would end the text); anything else, and named
        arguments, the general way, with its errors."""
        invoke, lock, errcode, n = self._invoke, self._lock, _lib.ck_errcode, len(names)
        pads = [(None,) * (n - k) for k in range(n + 1)]

        def method(*args: Any, **kwargs: Any) -> Any:
            if not kwargs and len(args) <= n:
                try:
                    raw = list(map(str.encode, args))
                except (TypeError, UnicodeEncodeError):  # not text; a lone surrogate
                    raw = None
                if raw is not None and b"" not in raw and b"\0" not in b"".join(raw):
                    raw += pads[len(raw)]
                    lock.acquire()
                    try:
                        handle = self._handle
                        if handle is None:
                            raise MisuseError("the database is closed", _native.MISUSE)
                        d = c_fn(handle, *raw)
                        if d != d and errcode(handle) != _native.OK:
                            self._raise(handle)
                    finally:
                        lock.release()
                    return d
            return invoke(encoded, names, args, kwargs)

        return method

    def _invoke(self, name: bytes, names: List[str], args: tuple,
                kwargs: Dict[str, Any]) -> Any:
        if kwargs:
            if len(args) > len(names):
                raise InvalidError(f"{name.decode()} takes at most {len(names)} "
                                   f"arguments, got {len(args)}", _native.INVALID)
            named = dict(zip(names, args))
            for key, value in kwargs.items():
                key = _registry_name(key, names)
                if key in named:
                    raise InvalidError(f"{name.decode()}: argument '{key}' given "
                                       "twice", _native.INVALID)
                named[key] = value
            text = _ARGS.encode(named)
        else:
            text = _ARGS.encode(args)
        return self._run(name, text.encode())

    def _run(self, name: bytes, args: bytes) -> Any:
        numeric = self._numeric.get(name.decode(), False)
        with self._lock:
            handle = self._checked()
            if numeric:
                d = _lib.ck_num(handle, name, args)
                if d != d and _lib.ck_errcode(handle) != _native.OK:
                    self._raise(handle)
                return d
            out = _lib.ck_call(handle, name, args)
            if out is None:
                self._raise(handle)
            if out == b"null":  # +-inf and NaN travel as null in JSON
                d = _lib.ck_last_num(handle)  # the same result, not a new call
                return d if _lib.ck_errcode(handle) == _native.OK else None
        value = json.loads(out)
        if name == b"claims" and isinstance(value, list) and \
                all(isinstance(v, dict) for v in value):  # every field a column
            if not self.frames:
                return Rows(value)  # the records, as a pack holds them
            return _claims_frame(self._stored_numbers(value))
        return self._wrap(value)

    def _wrap(self, value: Any) -> Any:
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            value = [_open_bounds(row) for row in value]
            return _frame(value) if self.frames else Rows(value)
        if isinstance(value, list) and not value:
            return _frame([]) if self.frames else Rows()
        if isinstance(value, dict):
            if not isinstance(value.get("claims"), list):
                return Record(value)
            pack = Pack(value)
            pack._parsed = self._parsed
            return pack
        return value

    def _stored_numbers(self, claims: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Figures with the value, lo and hi import stored (a quantity's
        parsed numbers, a point's bounds, a range's middle), so a frame's
        figures are all numbers."""
        ids = [c["id"] for c in claims if "id" in c and "question" not in c
               and not all(k in c for k in _NUMBERS)]
        if not ids:
            return claims
        rows = self.call("sql", "SELECT c.id, c.value, c.lo, c.hi "
                         "FROM json_each(?) j JOIN claims c ON c.id = j.value "
                         "WHERE c.kind = 'observation'",
                         [json.dumps(ids, ensure_ascii=False)])
        stored = {r["id"]: r for r in (rows.to_dict("records")
                                       if self.frames else rows)}
        out = []
        for c in claims:
            s = stored.get(c.get("id"))
            if s is not None:
                c = dict(c)
                for k, open_end in (("value", math.nan), ("lo", -math.inf),
                                    ("hi", math.inf)):
                    c.setdefault(k, open_end if s[k] is None else s[k])
            out.append(c)
        return out

    def _parsed(self, text: str) -> Optional[Dict[str, float]]:
        """A quantity field's numbers as import reads them (exactly one
        quantity), or None."""
        found = self.call("quantities", text)
        rows = found.to_dict("records") if self.frames else list(found)
        return rows[0] if len(rows) == 1 else None

    # ---- the API ---------------------------------------------------------

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Calls registry function `name` -- built in or registered from
        Lua -- with positional or named arguments."""
        fast = self._fast.get(name)
        if fast is not None:  # a Calc cell's CKVALUE comes this way
            return fast(*args, **kwargs)
        with self._lock:
            if name not in self._params:
                self._refresh()  # registered from Lua since the last look
            names = self._params.get(name, [])
        return self._invoke(name.encode(), names, args, kwargs)

    def functions(self) -> List[Dict[str, Any]]:
        """Every callable function: name, doc, returns, params."""
        with self._lock:
            handle = self._checked()
            out = _lib.ck_functions(handle)
            if out is None:
                self._raise(handle)
        return json.loads(out)

    def import_pack(self, source: Any, progress: Optional[bool] = None) -> None:
        """Imports claims, all or nothing: a pack as a dict (a draft's Pack
        with the claims of its edited frame), JSON text (a pack or JSON
        Lines), the path of a pack, JSON Lines file or claim sheet (.csv),
        or a DataFrame or list of dicts of claims (blank cells are absent
        fields; errors name /claims/ROW with the row's position).

        `progress`: a file's import shows a tqdm bar (tqdm.auto: a widget
        in Jupyter) of its bytes and claims -- by default (None) for files
        of PROGRESS_MIN_BYTES or more when tqdm is installed; True for any
        file (a warning, and no bar, without tqdm); False never."""
        if isinstance(source, Pack):
            source = source.to_dict(self._parsed)
        elif (_pandas is not None and isinstance(source, _pandas.DataFrame)) or \
                isinstance(source, list):
            source = {"claims": _claim_records(source, self._parsed)}
        with self._lock:
            handle = self._checked()
            if isinstance(source, dict):
                rc = _lib.ck_import_json(handle, json.dumps(
                    source, ensure_ascii=False, allow_nan=False).encode())
            elif isinstance(source, str) and source.lstrip().startswith(("{", "[")):
                rc = _lib.ck_import_json(handle, source.encode())
            else:
                rc = self._import_file(handle, source, progress)
            if rc != _native.OK:
                self._raise(handle)
            self._refresh()  # a pack's scripts may register functions

    def _import_file(self, handle: ctypes.c_void_p, path: Any,
                     progress: Optional[bool]) -> int:
        bar = None
        if progress is not False and hasattr(_lib, "ck_progress"):
            try:
                large = os.path.getsize(path) >= PROGRESS_MIN_BYTES
            except OSError:  # ck_import_file says why
                large = False
            if progress or large:
                bar = _tqdm()
                if bar is None and progress:
                    warnings.warn("progress=True needs tqdm, which is not "
                                  "installed: importing without a bar",
                                  RuntimeWarning, stacklevel=4)
        if bar is None:
            return _lib.ck_import_file(handle, os.fsencode(path))
        with _ImportProgress(handle, os.fspath(path), bar):
            return _lib.ck_import_file(handle, os.fsencode(path))

    def export(self, filter: str = "") -> str:
        """The database (or the claims `filter` selects, with what they refer
        to) as one canonical claim pack, JSON text."""
        with self._lock:
            handle = self._checked()
            out = _lib.ck_export_json(handle, filter.encode())
            if out is None:
                self._raise(handle)
        return out.decode()

    def sync(self, conninfo: str, only: Optional[str] = None) -> None:
        """Pushes what the desk's hub (a PostgreSQL database, docs/hub.md)
        lacks, then pulls what it gained since this file's last pull.
        `conninfo` is libpq's ("postgresql://host/desk"); `only` "pull" or
        "push" runs one half.  A refused push (a version not pulled yet,
        a row of another role) raises InvalidError and changes nothing."""
        if only:
            sep = ("&" if "?" in conninfo else "?") if "://" in conninfo else " "
            conninfo = f"{conninfo}{sep}only={only}"
        with self._lock:
            handle = self._checked()
            if not hasattr(_lib, "ck_sync"):
                raise MisuseError("this claimkit library has no ck_sync")
            if _lib.ck_sync(handle, conninfo.encode()) != _native.OK:
                self._raise(handle)
            self._refresh()  # pulled scripts may register functions

    def script(self, source: str, name: str = "script") -> None:
        """Runs Lua in the database's sandbox; functions it registers become
        methods."""
        with self._lock:
            handle = self._checked()
            if _lib.ck_script(handle, source.encode(), name.encode()) != _native.OK:
                self._raise(handle)
            self._refresh()

    def limit(self, which: int, value: int = -1) -> int:
        """Sets a limit (LIMIT_LUA_MEMORY, LIMIT_LUA_STEPS, LIMIT_BUSY_MS,
        LIMIT_SQL_STEPS);
        returns the old value.  A negative value only reads it."""
        with self._lock:
            handle = self._checked()
            old = _lib.ck_limit(handle, which, value)
            if old < 0:
                self._raise(handle)
        return old

    def close(self) -> None:
        """Closes the database; later calls raise MisuseError.  Idempotent."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            if self._handle is not None:
                _lib.ck_close(self._handle)
                self._handle = None

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("read-only" if self.readonly else "open")
        return f"<claimkit.Database {self.path!r} ({state})>"

    def _repr_html_(self) -> str:
        if self.closed:
            return f"<p><b>claimkit</b> {html.escape(self.path)} (closed)</p>"
        stats = self.call("stats")
        return (f"<p><b>claimkit {html.escape(library_version())}</b> "
                f"{html.escape(self.path)}</p>"
                + _table_html([{"table": k, "records": v} for k, v in stats.items()]))


Database._OWN = frozenset(
    [name for name in dir(Database) if not name.startswith("__")]
    + ["path", "readonly", "frames"])

LIMIT_LUA_MEMORY = _native.LIMIT_LUA_MEMORY
LIMIT_LUA_STEPS = _native.LIMIT_LUA_STEPS
LIMIT_BUSY_MS = _native.LIMIT_BUSY_MS
LIMIT_SQL_STEPS = _native.LIMIT_SQL_STEPS


def open(path: Union[str, os.PathLike, None] = ":memory:", readonly: bool = False,
         frames: Optional[bool] = None) -> Database:
    """Opens (creating it) the claim database at `path`; ":memory:" is a
    private in-memory one.  `readonly` never writes the file.  `frames`:
    return lists of rows as pandas DataFrames (default: when pandas is
    installed)."""
    return Database(path, readonly=readonly, frames=frames)
