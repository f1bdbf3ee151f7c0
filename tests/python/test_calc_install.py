"""The Calc add-in installed the two ways docs/calc.md gives: per user with
`unopkg add` as a normal user, and for every user with `unopkg add --shared`
as root; each time a fresh profile then computes a cell."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

import claimkit
from conftest import PACK, SOURCE

sys.path.insert(0, str(SOURCE / "bindings" / "libreoffice"))

NOBODY = 65534
IDENTIFIER = "org.claimkit.calc"


@pytest.fixture
def setup(build_dir):
    """The extension and a database where a normal user can read them (not
    under pytest's own folder, which only root may enter)."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="claimkit-install-"))
    work.chmod(0o755)
    oxt = work / "claimkit.oxt"
    shutil.copy(build_dir / "bindings" / "libreoffice" / "claimkit.oxt", oxt)
    oxt.chmod(0o644)
    database = work / "claims.db"
    with claimkit.open(database) as db:
        db.import_pack(PACK)
    database.chmod(0o644)
    yield work, oxt, database
    shutil.rmtree(work, ignore_errors=True)


def a_cell(profile, database):
    from office import Office
    with Office(profile, dict(os.environ, CLAIMKIT_DB=str(database))) as office:
        doc = office.new_calc()
        try:
            cell = doc.Sheets.getByIndex(0).getCellByPosition(0, 0)
            cell.setFormula('=CKVALUE("deepseek";"aa-index";"2026-03")')
            doc.calculateAll()
            return cell.getValue(), cell.getError()
        finally:
            doc.close(True)


def as_user(argv, home):
    """argv run as a normal user: nobody when this runs as root (CI)."""
    if os.geteuid() == 0:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                "env", f"HOME={home}", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300)


def test_a_user_installs_it_with_unopkg_add(setup):
    work, oxt, database = setup
    home = work / "home"
    home.mkdir()
    if os.geteuid() == 0:
        os.chown(home, NOBODY, NOBODY)
    profile = home / "profile"
    run = as_user(["unopkg", "add", f"-env:UserInstallation={profile.as_uri()}",
                   str(oxt)], home)
    assert run.returncode == 0, run.stderr
    assert (profile / "user" / "uno_packages").is_dir()
    assert a_cell(profile, database) == (41.61, 0)
    if os.geteuid() == 0:  # why docs/calc.md says --shared for root
        refused = subprocess.run(["unopkg", "add", f"-env:UserInstallation="
                                  f"{(work / 'root').as_uri()}", str(oxt)],
                                 capture_output=True, text=True, timeout=300)
        assert refused.returncode != 0
        assert "without --shared" in refused.stdout + refused.stderr


def test_root_installs_it_for_every_user_with_shared(setup):
    if os.geteuid() != 0:
        pytest.skip("installing for every user needs root (CI runs as root)")
    work, oxt, database = setup
    listed = subprocess.run(["unopkg", "list", "--shared"], capture_output=True,
                            text=True, timeout=300).stdout
    assert IDENTIFIER not in listed, "a shared claimkit is installed already"
    run = subprocess.run(["unopkg", "add", "--shared", str(oxt)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    try:
        # a fresh profile, no install of its own: the shared one serves it
        assert a_cell(work / "fresh", database) == (41.61, 0)
    finally:
        subprocess.run(["unopkg", "remove", "--shared", IDENTIFIER],
                       capture_output=True, timeout=300)
    listed = subprocess.run(["unopkg", "list", "--shared"], capture_output=True,
                            text=True, timeout=300).stdout
    assert IDENTIFIER not in listed


def test_ckerror_names_its_database_when_there_is_no_default(setup, build_dir, tmp_path,
                                                            monkeypatch):
    """CKCALL and CKERROR with a database argument work, and explain, on a
    machine with no default database (the add-in's own logic, outside an
    office)."""
    work, _, database = setup
    sys.path.insert(0, str(build_dir / "bindings" / "libreoffice" / "oxt" / "pythonpath"))
    import claimkit_addin
    monkeypatch.setenv("CLAIMKIT_DB", str(tmp_path / "none" / "claims.db"))
    addin = claimkit_addin.ClaimkitAddIn(None)
    assert addin.ckCall(None, "value", ("deepseek", "aa-index", "2026-03", "value",
                                  str(database))) == 41.61
    assert addin.ckError(None, "value", ("nope", "aa-index", "", "value", str(database))) == \
        "value: no entity 'nope'"
    assert "cannot open" in addin.ckError(None, "value", ("deepseek", "aa-index"))
