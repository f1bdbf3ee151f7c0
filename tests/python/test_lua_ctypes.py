"""A function registered from Lua is called through ck_call and ck_num
from Python ctypes like a built-in, with its results and its errors."""
import ctypes
import json
import math

import pytest


@pytest.fixture
def lib(build_dir):
    lib = ctypes.CDLL(str(build_dir / "core" / "libclaimkit.so"))
    lib.ck_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]
    for name in ("ck_call",):
        getattr(lib, name).restype = ctypes.c_char_p
        getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.ck_num.restype = ctypes.c_double
    lib.ck_num.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.ck_script.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.ck_functions.restype = ctypes.c_char_p
    lib.ck_functions.argtypes = [ctypes.c_void_p]
    lib.ck_errmsg.restype = ctypes.c_char_p
    lib.ck_errmsg.argtypes = [ctypes.c_void_p]
    lib.ck_errcode.argtypes = [ctypes.c_void_p]
    lib.ck_close.argtypes = [ctypes.c_void_p]
    return lib


def test_a_lua_function_through_ctypes(lib):
    db = ctypes.c_void_p()
    assert lib.ck_open(None, 0, ctypes.byref(db)) == 0
    try:
        assert lib.ck_script(db, """
            ck.register{name = "hypot", returns = "number",
              params = {{name = "a", type = "number", doc = "leg"},
                        {name = "b", type = "number", default = 4, doc = "leg"}},
              fn = function(a, b)
                if a < 0 then error("a must not be negative") end
                return math.sqrt(a * a + b * b) end}
            ck.register{name = "pair", fn = function() return {x = 1, y = "two"} end}
        """.encode(), b"reg") == 0, lib.ck_errmsg(db)
        fns = {f["name"]: f for f in json.loads(lib.ck_functions(db))}
        assert [p["name"] for p in fns["hypot"]["params"]] == ["a", "b"]
        assert lib.ck_num(db, b"hypot", b"[3]") == 5.0
        assert lib.ck_num(db, b"hypot", b'{"a": 6, "b": 8}') == 10.0
        assert json.loads(lib.ck_call(db, b"pair", None)) == {"x": 1, "y": "two"}
        assert math.isnan(lib.ck_num(db, b"hypot", b"[-1]"))
        assert lib.ck_errcode(db) == 7  # CK_SCRIPT
        assert b"hypot: reg:6: a must not be negative" in lib.ck_errmsg(db)
        assert lib.ck_call(db, b"hypot", b'["x"]') is None
        assert lib.ck_errcode(db) == 2  # CK_INVALID: the registry checks types
    finally:
        lib.ck_close(db)
