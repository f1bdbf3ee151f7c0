"""Paths the tests share: the source tree and the CMake build tree."""
import os
import pathlib

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    """The build tree (ctest passes CK_BINARY_DIR)."""
    return pathlib.Path(os.environ.get("CK_BINARY_DIR", SOURCE / "build" / "test"))


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    return SOURCE
