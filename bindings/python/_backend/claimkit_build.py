"""The claimkit package's PEP 517 build backend: a wheel is a zip of the
package, its metadata (from pyproject.toml's [project], PEP 621) and
libclaimkit, so the backend is this file and the standard library, and pip
builds the package offline from any CPython >= 3.9 with nothing to fetch.

The library put in the wheel is, in order: $CLAIMKIT_LIBRARY; the newest
library of a build of the source tree this folder belongs to
(build/*/core/libclaimkit_bundled.so, which holds SQLite, jansson and Lua
and so runs on a machine without them, or build/*/core/libclaimkit.so);
none, when neither is there, and the package then finds the installed
library (cmake --install) at run time.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import pathlib
import re
import sysconfig
import tarfile
import zipfile
from typing import Any, Dict, List, Optional, Tuple

HERE = pathlib.Path(__file__).resolve().parents[1]  # bindings/python
PACKAGE = "claimkit"
LIBRARIES = ("libclaimkit_bundled.so", "libclaimkit.so")


# ---- pyproject.toml ------------------------------------------------------

def _toml_value(text: str) -> Tuple[Any, str]:
    """One TOML value at the start of text (strings, arrays, inline tables,
    booleans, integers: what a [project] table holds), and the rest."""
    text = text.lstrip(" \t\r\n")
    if text.startswith('"'):
        m = re.match(r'"((?:[^"\\]|\\.)*)"', text)
        if not m:
            raise ValueError(f"pyproject.toml: unterminated string: {text[:40]!r}")
        # TOML's escapes are JSON's, and \UXXXXXXXX
        body = re.sub(r"\\U([0-9A-Fa-f]{8})",
                      lambda u: json.dumps(chr(int(u.group(1), 16)))[1:-1],
                      m.group(0))
        return json.loads(body), text[m.end():]
    if text.startswith("'"):
        end = text.index("'", 1)
        return text[1:end], text[end + 1:]
    if text.startswith("["):
        items: List[Any] = []
        text = text[1:]
        while True:
            text = re.sub(r"^(\s|#[^\n]*)*", "", text)
            if text.startswith("]"):
                return items, text[1:]
            value, text = _toml_value(text)
            items.append(value)
            text = re.sub(r"^(\s|#[^\n]*)*", "", text)
            if text.startswith(","):
                text = text[1:]
    if text.startswith("{"):
        table: Dict[str, Any] = {}
        text = text[1:].lstrip()
        while not text.startswith("}"):
            m = re.match(r'\s*("[^"]*"|[A-Za-z0-9_-]+)\s*=', text)
            if not m:
                raise ValueError(f"pyproject.toml: bad inline table: {text[:40]!r}")
            table[m.group(1).strip('"')], text = _toml_value(text[m.end():])
            text = text.lstrip().lstrip(",").lstrip()
        return table, text[1:]
    m = re.match(r"(true|false|[-+]?\d+)", text)
    if not m:
        raise ValueError(f"pyproject.toml: a value this backend does not read: "
                         f"{text[:40]!r}")
    word = m.group(1)
    value = word == "true" if word in ("true", "false") else int(word)
    return value, text[m.end():]


def read_toml(text: str) -> Dict[str, Any]:
    """The subset of TOML a pyproject.toml of this kind uses, for Pythons
    without tomllib (3.9, 3.10); test_install_venv checks it reads ours as
    tomllib does."""
    doc: Dict[str, Any] = {}
    table = doc
    while text:
        text = re.sub(r"^(\s|#[^\n]*)*", "", text)
        if not text:
            break
        m = re.match(r"\[([^\]\n]+)\][^\n]*", text)
        if m:
            table = doc
            for key in m.group(1).split("."):
                table = table.setdefault(key.strip().strip('"'), {})
            text = text[m.end():]
            continue
        m = re.match(r'("[^"]*"|[A-Za-z0-9_.-]+)\s*=', text)
        if not m:
            raise ValueError(f"pyproject.toml: cannot read {text[:40]!r}")
        key = m.group(1).strip('"')
        table[key], text = _toml_value(text[m.end():])
    return doc


def project() -> Dict[str, Any]:
    text = (HERE / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib  # 3.11+
    except ImportError:
        return read_toml(text)["project"]
    return tomllib.loads(text)["project"]


def metadata(meta: Dict[str, Any]) -> str:
    """Core metadata 2.1 of the [project] table."""
    lines = [("Metadata-Version", "2.1"), ("Name", meta["name"]),
             ("Version", meta["version"]), ("Summary", meta.get("description", "")),
             ("Requires-Python", meta.get("requires-python", ""))]
    if "license" in meta:
        lines.append(("License", meta["license"].get("text", "")))
    lines += [("Classifier", c) for c in meta.get("classifiers", [])]
    for extra, requires in meta.get("optional-dependencies", {}).items():
        lines.append(("Provides-Extra", extra))
        lines += [("Requires-Dist", f'{r}; extra == "{extra}"') for r in requires]
    lines += [("Requires-Dist", r) for r in meta.get("dependencies", [])]
    body = ""
    if meta.get("readme"):
        lines.append(("Description-Content-Type", "text/markdown"))
        body = "\n" + (HERE / meta["readme"]).read_text(encoding="utf-8")
    return "".join(f"{k}: {v}\n" for k, v in lines if v) + body


# ---- the library ---------------------------------------------------------

def built_library() -> Optional[pathlib.Path]:
    explicit = os.environ.get("CLAIMKIT_LIBRARY")
    if explicit:
        path = pathlib.Path(explicit)
        if not path.is_file():
            raise FileNotFoundError(f"CLAIMKIT_LIBRARY names {explicit}, which "
                                    "is not a file")
        return path
    root = os.environ.get("CLAIMKIT_SOURCE_DIR")
    source = pathlib.Path(root) if root else HERE.parents[1]
    trees = [(max(lib.stat().st_mtime for lib in libs), libs[0])
             for libs in ([core / name for name in LIBRARIES if (core / name).is_file()]
                          for core in source.glob("build/*/core")) if libs]
    # the newest build tree; in it the bundled library, which CMake builds
    # with the plain one from the same objects
    return max(trees, key=lambda t: t[0])[1] if trees else None


# ---- wheels --------------------------------------------------------------

def _package_files() -> List[Tuple[str, bytes]]:
    files = []
    for path in sorted((HERE / PACKAGE).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and \
                path.suffix in (".py", ".pyi", ".typed"):
            files.append((path.relative_to(HERE).as_posix(), path.read_bytes()))
    return files


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"{name},sha256={digest.decode()},{len(data)}\n"


def _write_wheel(directory: str, files: List[Tuple[str, bytes]], pure: bool) -> str:
    meta = project()
    name, version = meta["name"], meta["version"]
    platform = "any" if pure else re.sub(r"[-.]", "_", sysconfig.get_platform())
    tag = f"py3-none-{platform}"
    info = f"{name}-{version}.dist-info"
    files = files + [
        (f"{info}/METADATA", metadata(meta).encode("utf-8")),
        (f"{info}/WHEEL", (f"Wheel-Version: 1.0\nGenerator: claimkit_build\n"
                           f"Root-Is-Purelib: {'true' if pure else 'false'}\n"
                           f"Tag: {tag}\n").encode())]
    record = "".join(_record_line(n, d) for n, d in files) + f"{info}/RECORD,,\n"
    wheel = f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(pathlib.Path(directory) / wheel, "w",
                         zipfile.ZIP_DEFLATED) as z:
        for n, d in files + [(f"{info}/RECORD", record.encode())]:
            entry = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))
            entry.external_attr = (0o755 if n.endswith(".so") else 0o644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(entry, d)
    return wheel


def build_wheel(wheel_directory: str, config_settings: Any = None,
                metadata_directory: Any = None) -> str:
    files = _package_files()
    library = built_library()
    if library is not None:  # the file, not a link
        files.append((f"{PACKAGE}/libclaimkit.so", library.resolve().read_bytes()))
    return _write_wheel(wheel_directory, files, pure=library is None)


def build_editable(wheel_directory: str, config_settings: Any = None,
                   metadata_directory: Any = None) -> str:
    """pip install -e: the source folder on sys.path; the package finds the
    library of the checkout's build tree at run time."""
    return _write_wheel(wheel_directory,
                        [(f"{PACKAGE}_editable.pth", f"{HERE}\n".encode())], pure=True)


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    meta = project()
    base = f"{meta['name']}-{meta['version']}"
    files = _package_files() + [
        (p, (HERE / p).read_bytes()) for p in
        ("pyproject.toml", "README.md", "_backend/claimkit_build.py")]
    files.append(("PKG-INFO", metadata(meta).encode("utf-8")))
    name = f"{base}.tar.gz"
    with tarfile.open(pathlib.Path(sdist_directory) / name, "w:gz") as tar:
        for n, d in files:
            entry = tarfile.TarInfo(f"{base}/{n}")
            entry.size, entry.mode, entry.mtime = len(d), 0o644, 1767225600
            tar.addfile(entry, io.BytesIO(d))
    return name
