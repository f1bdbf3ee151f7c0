"""The hub's tests (docs/hub.md): the binding under test against the library
under test, as tests/python has them."""
import os
import pathlib
import sys

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("CK_BINARY_DIR", SOURCE / "build" / "test"))
sys.path.insert(0, str(SOURCE / "bindings" / "python"))
sys.path.insert(0, str(pathlib.Path(__file__).parent))
os.environ.setdefault("CLAIMKIT_LIBRARY", str(BUILD / "core" / "libclaimkit.so"))


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    return BUILD
