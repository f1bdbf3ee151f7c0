"""A long import's tqdm bar: fed from a thread polling ck_progress() while
the import runs on the caller's, it reaches the file's size; without tqdm
the import runs as before."""
import subprocess
import sys
import warnings

import pytest

import claimkit
from conftest import PACK

CLAIMS = 60000


@pytest.fixture(scope="module")
def desk_stream(tmp_path_factory, source_dir):
    """60,000 generated claims as JSON Lines (13 MB)."""
    path = tmp_path_factory.mktemp("desk") / "desk.jsonl"
    subprocess.run([sys.executable, str(source_dir / "tests" / "bench" / "gen_scale.py"),
                    str(CLAIMS), str(path)], check=True)
    return path


@pytest.fixture
def bars(monkeypatch):
    """The bars import_pack makes, each with the positions it was moved to."""
    from tqdm.auto import tqdm
    made = []

    class Recording(tqdm):
        def __init__(self, *args, **kwargs):
            self.seen = []
            super().__init__(*args, **kwargs)
            made.append(self)

        def update(self, n=1):
            done = super().update(n)
            self.seen.append(self.n)
            return done

    monkeypatch.setattr(claimkit, "_TQDM", Recording)
    return made


def test_tqdm_is_installed_here():
    # the bar's tests below must not pass for want of tqdm
    from tqdm.auto import tqdm
    claimkit._TQDM = False
    assert claimkit._tqdm() is tqdm


def test_a_file_import_shows_a_bar_that_reaches_its_total(tmp_path, desk_stream, bars, capsys):
    size = desk_stream.stat().st_size
    with claimkit.open(tmp_path / "t.db") as db:
        db.import_pack(str(desk_stream), progress=True)
        assert db.stats()["claims"] == CLAIMS
    assert len(bars) == 1
    bar = bars[0]
    assert bar.total == size and bar.n == size
    assert bar.seen == sorted(bar.seen)
    assert any(0 < n < size for n in bar.seen), "polled only at the end"
    assert bar.postfix == f"claims={CLAIMS:,}"
    err = capsys.readouterr().err
    assert "desk.jsonl: 100%" in err and f"claims={CLAIMS:,}]" in err


def test_large_files_get_a_bar_by_default_small_ones_none(tmp_path, desk_stream, bars,
                                                          monkeypatch):
    with claimkit.open(tmp_path / "t.db") as db:
        db.import_pack(str(PACK))
        assert bars == []
        db.import_pack(str(desk_stream), progress=False)
        assert bars == []
        monkeypatch.setattr(claimkit, "PROGRESS_MIN_BYTES", desk_stream.stat().st_size)
        db.import_pack(str(desk_stream))
        assert len(bars) == 1 and bars[0].n == desk_stream.stat().st_size


def test_a_failed_import_leaves_its_bar_where_it_stopped(tmp_path, bars):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "source", "id": "s"}\n{"type": "claim", "source": "nope"}\n')
    with claimkit.open() as db:
        with pytest.raises(claimkit.InvalidError, match="line 2"):
            db.import_pack(str(path), progress=True)
    assert bars[0].n == len('{"type": "source", "id": "s"}\n')
    assert bars[0].total == path.stat().st_size


def test_without_tqdm_an_import_runs_as_before(tmp_path, desk_stream, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    monkeypatch.setattr(claimkit, "_TQDM", False)
    monkeypatch.setattr(claimkit, "PROGRESS_MIN_BYTES", 1)
    with claimkit.open(tmp_path / "t.db") as db:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            db.import_pack(str(desk_stream))  # large: a bar if it could
        with pytest.warns(RuntimeWarning, match="progress=True needs tqdm"):
            db.import_pack(str(PACK), progress=True)
        assert db.stats()["claims"] > CLAIMS
    assert capsys.readouterr().err == ""


def test_a_missing_file_raises_the_library_error_with_a_bar_asked_for(tmp_path, bars):
    with claimkit.open() as db:
        db.import_pack(str(PACK), progress=False)
        with pytest.raises(claimkit.IoError, match="cannot open"):
            db.import_pack(str(tmp_path / "none.jsonl"), progress=True)
    assert bars[0].n == 0
