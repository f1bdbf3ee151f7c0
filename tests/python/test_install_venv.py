"""pip installs the package offline into a fresh venv of Debian's python3,
and of every other CPython on PATH (pyenv's, conda's), or without a venv;
the quickstart runs against the built library, found through
CLAIMKIT_LIBRARY or next to the package."""
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from conftest import SOURCE, VERSION


def pythons():
    """Debian's python3 and every other CPython >= 3.9 named python3 on
    PATH, each once (a pyenv shim names the interpreter it runs)."""
    found = {}
    paths = ["/usr/bin/python3"] + [os.path.join(d, "python3") for d in
                                    os.environ.get("PATH", "").split(os.pathsep) if d]
    for path in paths:
        if not os.access(path, os.X_OK):
            continue
        run = subprocess.run([path, "-c", "import sys; print(sys.executable); "
                              "print(sys.version_info >= (3, 9))"],
                             capture_output=True, text=True, timeout=60)
        lines = run.stdout.split()
        if run.returncode == 0 and lines[-1] == "True":
            found.setdefault(os.path.realpath(lines[0]), lines[0])
    return sorted(found.values())


def checkout(tmp_path, build_dir):
    """A checkout whose build tree holds the library under test: pip
    builds in the project's folder, so a copy, not the source tree."""
    root = tmp_path / "checkout"
    shutil.copytree(SOURCE / "bindings" / "python", root / "bindings" / "python",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    (root / "build" / "demo" / "core").mkdir(parents=True)
    (root / "build" / "demo" / "core" / "libclaimkit.so").symlink_to(
        (build_dir / "core" / "libclaimkit.so").resolve())
    return root / "bindings" / "python"


@pytest.mark.parametrize("python", pythons())
def test_pip_installs_from_any_python_offline(tmp_path, build_dir, python):
    """The command of docs/python.md with this Python: no index, no build tool to
    fetch (the build backend is the project's own), a venv or none."""
    project = checkout(tmp_path, build_dir)
    venv = tmp_path / "venv"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_NO_INDEX": "1"}
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "pip"), "install", str(project)],
                   check=True, capture_output=True, timeout=300, env=env)
    probe = ("import claimkit; db = claimkit.open(); "
             "print(claimkit.library_version(), db.quantity('两百多亿美元', 0, 'hi'), "
             "claimkit._lib._name)")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], check=True,
                         capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=60).stdout.split()
    assert out[:2] == [VERSION, "30000000000.0"]
    assert out[2].startswith(str(venv)) and out[2].endswith("claimkit/libclaimkit.so")
    # no venv: pip of the interpreter itself, into a folder
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True,
                      timeout=60).returncode == 0:
        target = tmp_path / "target"
        subprocess.run([python, "-m", "pip", "install", "--target", str(target),
                        str(project)], check=True, capture_output=True,
                       timeout=300, env=env)
        out = subprocess.run([python, "-c", probe], check=True, capture_output=True,
                             text=True, env=dict(env, PYTHONPATH=str(target)),
                             cwd=tmp_path, timeout=60).stdout.split()
        assert out[:2] == [VERSION, "30000000000.0"]
        assert out[2] == str(target / "claimkit" / "libclaimkit.so")


def test_the_backend_reads_pyproject_as_tomllib_does():
    """Pythons before 3.11 have no tomllib: the backend's own reader must
    give the same [project] table."""
    path = SOURCE / "bindings" / "python" / "_backend" / "claimkit_build.py"
    spec = importlib.util.spec_from_file_location("claimkit_build", path)
    backend = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backend)
    text = (SOURCE / "bindings" / "python" / "pyproject.toml").read_text(encoding="utf-8")
    assert backend.read_toml(text) == tomllib.loads(text)
    tricky = ('a = "x\\\\"\nb = "say \\"hi\\" \\u4e2d"\ny = [\n "p", # c\n \'q\',\n]\n'
              '[t.u]\nz = {text = "MIT"}\nn = -3\n')
    assert backend.read_toml(tricky) == tomllib.loads(tricky)


def test_offline_install_and_quickstart(tmp_path, build_dir):
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True, timeout=120)
    # pip builds in the project's folder: give it a copy, not the source tree
    project = shutil.copytree(SOURCE / "bindings" / "python", tmp_path / "project",
                              ignore=shutil.ignore_patterns("build", "*.egg-info"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", str(project)],
                   check=True, capture_output=True, timeout=300)
    quickstart = SOURCE / "examples" / "python" / "quickstart.py"
    library = build_dir / "core" / "libclaimkit.so"
    env = {"CLAIMKIT_LIBRARY": str(library), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([str(venv / "bin" / "python"), str(quickstart)], check=True,
                         capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120).stdout
    assert "cns on open/closed parity: 0.5424857003518557" in out
    assert "label: divergent" in out
    assert "两百多亿美元 means at most 30000000000.0" in out

    # next to the package: no CLAIMKIT_LIBRARY needed
    package = next((venv / "lib").glob("python3*/site-packages/claimkit"))
    shutil.copy(library.resolve(), package / "libclaimkit.so")
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import claimkit; print(claimkit.library_version())"],
                         check=True, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, cwd=tmp_path, timeout=60).stdout
    assert out.strip() == VERSION


def test_the_wheel_bundles_the_built_library(tmp_path, build_dir):
    """The steps of docs/python.md: a build, then pip install into a venv that sees
    Debian's packages (pandas); the quickstart then runs with no variable
    set, on the library pip found in the build tree and put in the wheel."""
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=120)
    # a checkout whose build tree holds the library under test
    root = tmp_path / "checkout"
    shutil.copytree(SOURCE / "bindings" / "python", root / "bindings" / "python",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    (root / "build" / "demo" / "core").mkdir(parents=True)
    (root / "build" / "demo" / "core" / "libclaimkit.so").symlink_to(
        (build_dir / "core" / "libclaimkit.so").resolve())
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index",
                    str(root / "bindings" / "python")],
                   check=True, capture_output=True, timeout=300,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    package = next((venv / "lib").glob("python3*/site-packages/claimkit"))
    bundled = package / "libclaimkit.so"
    assert bundled.is_file() and not bundled.is_symlink()
    quickstart = SOURCE / "examples" / "python" / "quickstart.py"
    run = subprocess.run([str(venv / "bin" / "python"), str(quickstart)], check=True,
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
                         cwd=tmp_path, timeout=120)
    assert "cns on open/closed parity: 0.5424857003518557" in run.stdout
    assert "DataFrame" not in run.stderr
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import claimkit, pandas; db = claimkit.open(); "
                          "print(isinstance(db.questions(), pandas.DataFrame), claimkit._lib._name)"],
                         check=True, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, cwd=tmp_path, timeout=60).stdout
    assert out.split() == ["True", str(bundled)]


def test_a_missing_library_is_a_clear_import_error(tmp_path):
    env = {"CLAIMKIT_LIBRARY": str(tmp_path / "nope.so"),
           "PYTHONPATH": str(SOURCE / "bindings" / "python"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import claimkit"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "no usable libclaimkit" in result.stderr
    assert "CLAIMKIT_LIBRARY" in result.stderr
