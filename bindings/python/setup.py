"""Builds the claimkit wheel with libclaimkit inside it, so that an installed
package finds its library without CLAIMKIT_LIBRARY.

The library bundled is, in order: $CLAIMKIT_LIBRARY; the newest build of the
source tree this folder belongs to (build/*/core/libclaimkit.so, which the
README's commands make); none, when neither is there, and the package then
finds the installed library (cmake --install) at run time.  Everything else
is in pyproject.toml.
"""
import os
import pathlib
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = pathlib.Path(__file__).resolve().parent


def built_library():
    explicit = os.environ.get("CLAIMKIT_LIBRARY")
    if explicit:
        return pathlib.Path(explicit)
    root = os.environ.get("CLAIMKIT_SOURCE_DIR")
    roots = [pathlib.Path(root)] if root else [HERE.parents[1]]
    builds = [lib for r in roots for lib in r.glob("build/*/core/libclaimkit.so")]
    return max(builds, key=lambda p: p.stat().st_mtime) if builds else None


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        library = built_library()
        if library is not None and library.exists():
            target = pathlib.Path(self.build_lib) / "claimkit" / "libclaimkit.so"
            shutil.copyfile(library.resolve(), target)  # the file, not a link


class WithLibrary(Distribution):
    """A wheel that holds a shared library is tied to its platform."""

    def has_ext_modules(self):
        return built_library() is not None


setup(cmdclass={"build_py": BuildWithLibrary}, distclass=WithLibrary)
