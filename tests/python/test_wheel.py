"""`pip wheel` makes a wheel a colleague can install: its libclaimkit holds
SQLite, jansson and Lua (CMake's claimkit_bundled), so it needs nothing but
libc, and it runs from a fresh venv of a Python that is not Debian's."""
import os
import shutil
import subprocess
import zipfile

import pytest

from conftest import SOURCE, VERSION
from test_install_venv import pythons

FOREIGN = [p for p in pythons() if not p.startswith("/usr/bin/")] or pythons()


def needed(library):
    dynamic = subprocess.run(["readelf", "-dW", str(library)], check=True,
                             capture_output=True, text=True).stdout
    return sorted(line.split("[")[1].rstrip("]") for line in dynamic.splitlines()
                  if "(NEEDED)" in line)


def test_the_bundled_library_needs_only_libc(build_dir):
    bundled = build_dir / "core" / "libclaimkit_bundled.so"
    assert needed(bundled) == ["ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6"]
    # the plain library stays as it was: the system's libraries
    plain = needed(build_dir / "core" / "libclaimkit.so")
    assert {"libsqlite3.so.0", "libjansson.so.4", "liblua5.4.so.0"} <= set(plain)
    # no text relocations (the archives' code reaches libc's streams
    # through bundle/stdio.c), and only ck_ symbols exported
    dynamic = subprocess.run(["readelf", "-dW", str(bundled)], check=True,
                             capture_output=True, text=True).stdout
    assert "TEXTREL" not in dynamic
    symbols = subprocess.run(["nm", "-D", "--defined-only", str(bundled)], check=True,
                             capture_output=True, text=True).stdout.split("\n")
    names = [line.split()[-1] for line in symbols if line.strip()]
    assert names and all(n.startswith("ck_") or n == "CLAIMKIT_0" for n in names), names


def test_the_bundled_library_has_no_hub_and_says_what_syncs(build_dir):
    import ctypes
    lib = ctypes.CDLL(str(build_dir / "core" / "libclaimkit_bundled.so"))
    lib.ck_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]
    lib.ck_sync.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.ck_errmsg.argtypes = [ctypes.c_void_p]
    lib.ck_errmsg.restype = ctypes.c_char_p
    lib.ck_close.argtypes = [ctypes.c_void_p]
    db = ctypes.c_void_p()
    assert lib.ck_open(None, 0, ctypes.byref(db)) == 0
    try:
        assert lib.ck_sync(db, b"postgresql://nowhere/desk") == 8  # CK_MISUSE
        message = lib.ck_errmsg(db).decode()
        assert "built without libpq" in message and "claimkit-lua sync" in message
    finally:
        lib.ck_close(db)


@pytest.mark.parametrize("python", FOREIGN)
def test_the_wheel_runs_without_the_system_libraries(tmp_path, build_dir, python):
    # a checkout whose build tree is the one under test
    root = tmp_path / "checkout"
    shutil.copytree(SOURCE / "bindings" / "python", root / "bindings" / "python",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    core = root / "build" / "demo" / "core"
    core.mkdir(parents=True)
    for name in ("libclaimkit.so", "libclaimkit_bundled.so"):
        (core / name).symlink_to((build_dir / "core" / name).resolve())
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_NO_INDEX": "1"}
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    dist = tmp_path / "dist"
    subprocess.run([str(venv / "bin" / "pip"), "wheel", "--no-deps", "-w", str(dist),
                    str(root / "bindings" / "python")],
                   check=True, capture_output=True, timeout=300, env=env)
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1 and wheels[0].name.startswith(f"claimkit-{VERSION}-py3-none-linux_")
    with zipfile.ZipFile(wheels[0]) as z:
        names = set(z.namelist())
        assert {"claimkit/libclaimkit.so", "claimkit/__init__.pyi", "claimkit/py.typed",
                "claimkit/__init__.py", "claimkit/_native.py"} <= names
        library = tmp_path / "libclaimkit.so"
        library.write_bytes(z.read("claimkit/libclaimkit.so"))
    assert library.read_bytes() == (build_dir / "core" / "libclaimkit_bundled.so").read_bytes()
    ldd = subprocess.run(["ldd", str(library)], check=True, capture_output=True,
                         text=True).stdout
    for name in ("sqlite", "jansson", "lua"):
        assert name not in ldd, ldd

    # the colleague: a fresh venv, the wheel file alone
    other = tmp_path / "colleague"
    subprocess.run([python, "-m", "venv", str(other)], check=True, timeout=120)
    subprocess.run([str(other / "bin" / "pip"), "install", str(wheels[0])],
                   check=True, capture_output=True, timeout=300, env=env)
    probe = (
        "import claimkit, sys\n"
        "db = claimkit.open(frames=False)\n"
        f"db.import_pack({str(SOURCE / 'examples' / 'deepseek-v4' / 'claims.json')!r})\n"
        "print(db.consensus('open-closed-parity', 'cns'))\n"
        "print(db.sql('SELECT sqlite_version() AS v')[0]['v'])\n"
        "db.script('ck.register{name = \"twice\", returns = \"number\", params = "
        "{{name = \"x\", type = \"number\"}}, fn = function(x) return 2 * x end}')\n"
        "print(db.call('twice', 21))\n"
        "print(claimkit._lib._name)\n"
        "maps = open('/proc/self/maps').read()\n"
        "print([n for n in ('libsqlite3', 'libjansson', 'liblua') if n in maps])\n")
    out = subprocess.run([str(other / "bin" / "python"), "-c", probe], check=True,
                         capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120).stdout.splitlines()
    assert out[0] == "0.5424857003518557"
    assert out[1].startswith("3.")
    assert out[2] == "42.0"
    assert out[3].startswith(str(other)) and out[3].endswith("claimkit/libclaimkit.so")
    assert out[4] == "[]"  # no system SQLite, jansson or Lua in the process
