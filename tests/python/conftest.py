"""Paths the tests share: the source tree and the CMake build tree."""
import os
import pathlib
import sys

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("CK_BINARY_DIR", SOURCE / "build" / "test"))
# The binding under test, against the library under test.
sys.path.insert(0, str(SOURCE / "bindings" / "python"))
os.environ.setdefault("CLAIMKIT_LIBRARY", str(BUILD / "core" / "libclaimkit.so"))
PACK = SOURCE / "examples" / "deepseek-v4" / "claims.json"
# The version the header declares: what the built library must report.
VERSION = next(line.split('"')[1] for line in
               (SOURCE / "core" / "include" / "claimkit.h").read_text().splitlines()
               if line.startswith("#define CK_VERSION \""))


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    """The build tree (ctest passes CK_BINARY_DIR)."""
    return BUILD


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    return SOURCE


@pytest.fixture(scope="session")
def database(tmp_path_factory, build_dir, source_dir):
    """A database file written by claimkit, holding the example pack."""
    import subprocess
    path = tmp_path_factory.mktemp("db") / "deepseek-v4.db"
    subprocess.run(
        [str(build_dir / "examples" / "c" / "claimkit-summary"), str(path),
         str(source_dir / "examples" / "deepseek-v4" / "claims.json")],
        check=True, capture_output=True)
    return path
