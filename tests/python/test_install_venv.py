"""pip installs the package offline into a fresh venv of Debian's python3,
and the quickstart runs against the built library, found through
CLAIMKIT_LIBRARY or next to the package."""
import shutil
import subprocess
import sys

from conftest import SOURCE, VERSION

WHEELS = "/usr/share/python-wheels"  # Debian: python3-venv, python3-wheel-whl


def test_offline_install_and_quickstart(tmp_path, build_dir):
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True, timeout=120)
    # pip builds in the project's folder: give it a copy, not the source tree
    project = shutil.copytree(SOURCE / "bindings" / "python", tmp_path / "project",
                              ignore=shutil.ignore_patterns("build", "*.egg-info"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", "--find-links",
                    WHEELS, str(project)],
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
    """The README's steps: a build, then pip install into a venv that sees
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
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", "--find-links",
                    WHEELS, str(root / "bindings" / "python")],
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
