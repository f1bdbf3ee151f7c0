"""Finding and declaring libclaimkit.  Only ctypes, no compiled part."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import pathlib
from typing import Any, Dict, Iterator

#: The oldest library this package speaks to: 0.2.0 (ck_last_num), same
#: major version.
MIN_VERSION = 2000
MAJOR = 0

# The status codes, CK_INVALID as INVALID: the library names them
# (ck_errname) and load() sets them from it, so these lines say only which
# the package speaks of by name.
OK: int
ERROR: int
INVALID: int
NOTFOUND: int
NOMEM: int
IO: int
BUSY: int
SCRIPT: int
MISUSE: int
READONLY: int
#: Every status code the library names, by its name: {"CK_OK": 0, ...}.
CODES: Dict[str, int] = {}
#: A library from before ck_errname has the codes 0.2.0 began with.
_CODES_0_2_0 = ("CK_OK", "CK_ERROR", "CK_INVALID", "CK_NOTFOUND", "CK_NOMEM",
                "CK_IO", "CK_BUSY", "CK_SCRIPT", "CK_MISUSE", "CK_READONLY")
OPEN_READONLY = 1
LIMIT_LUA_MEMORY, LIMIT_LUA_STEPS, LIMIT_BUSY_MS, LIMIT_SQL_STEPS = 1, 2, 3, 4
PROGRESS_BYTES, PROGRESS_TOTAL, PROGRESS_CLAIMS, PROGRESS_RUNNING = 1, 2, 3, 4


def _candidates() -> Iterator[str]:
    """Where the library may be, most specific first."""
    here = pathlib.Path(__file__).resolve().parent
    for name in ("libclaimkit.so", "libclaimkit.so.0"):
        if (here / name).exists():
            yield str(here / name)
    # a source checkout: bindings/python/claimkit -> build/<preset>/core,
    # the most recently built first
    root = here.parents[2]
    builds = list((root / "build").glob("*/core/libclaimkit.so"))
    for lib in sorted(builds, key=lambda p: p.stat().st_mtime, reverse=True):
        yield str(lib)
    found = ctypes.util.find_library("claimkit")
    if found:
        yield found
    yield "libclaimkit.so.0"


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    vp, cp, i, d = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_double
    protos = {
        "ck_version": (cp, []),
        "ck_version_number": (i, []),
        "ck_errstr": (cp, [i]),
        "ck_open": (i, [cp, i, ctypes.POINTER(vp)]),
        "ck_close": (i, [vp]),
        "ck_errcode": (i, [vp]),
        "ck_errmsg": (cp, [vp]),
        "ck_import_json": (i, [vp, cp]),
        "ck_import_file": (i, [vp, cp]),
        "ck_export_json": (cp, [vp, cp]),
        "ck_call": (cp, [vp, cp, cp]),
        "ck_num": (d, [vp, cp, cp]),
        "ck_last_num": (d, [vp]),
        "ck_functions": (cp, [vp]),
        "ck_script": (i, [vp, cp, cp]),
        "ck_limit": (ctypes.c_longlong, [vp, i, ctypes.c_longlong]),
        "ck_value": (d, [vp, cp, cp, cp, cp]),
        "ck_consensus": (d, [vp, cp, cp, cp]),
    }
    # A 0.2.0 library built before ck_progress has no progress to show.
    if hasattr(lib, "ck_progress"):
        protos["ck_progress"] = (ctypes.c_longlong, [vp, i])
    if hasattr(lib, "ck_sync"):  # likewise a library before ck_sync
        protos["ck_sync"] = (i, [vp, cp])
    if hasattr(lib, "ck_errname"):
        protos["ck_errname"] = (cp, [i])
    for name, (restype, argtypes) in protos.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def codes(lib: ctypes.CDLL) -> Dict[str, int]:
    """The status codes the library names, counting up from CK_OK until it
    names none (ck_errname: no gap)."""
    if not hasattr(lib, "ck_errname"):
        return {name: code for code, name in enumerate(_CODES_0_2_0)}
    found: Dict[str, int] = {}
    code = 0
    while (name := lib.ck_errname(code)) is not None:
        found[name.decode()] = code
        code += 1
    return found


def _take_codes(lib: ctypes.CDLL) -> None:
    CODES.clear()
    CODES.update(codes(lib))
    for name, code in CODES.items():
        globals()[name[3:]] = code  # CK_INVALID -> INVALID


def unchecked(lib: ctypes.CDLL, name: str, restype: Any) -> Any:
    """A second function object for `name`, with no argtypes: ctypes passes
    bytes, None and c_void_p as they are, without a from_param call per
    argument.  The caller passes nothing else."""
    fn = lib[name]
    fn.restype = restype
    return fn


def load() -> ctypes.CDLL:
    """The library, declared and version-checked; ImportError if none fits."""
    explicit = os.environ.get("CLAIMKIT_LIBRARY")
    tried = []
    for path in [explicit] if explicit else _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path}: {e}")
            continue
        _declare(lib)
        number = lib.ck_version_number()
        if number < MIN_VERSION or number // 1000000 != MAJOR:
            tried.append(f"{path}: version {lib.ck_version().decode()} is not "
                         f"0.2.0 or a later 0.x")
            continue
        _take_codes(lib)
        return lib
    raise ImportError("claimkit: no usable libclaimkit ("
                      + "; ".join(tried) + "). Set CLAIMKIT_LIBRARY to its path.")
