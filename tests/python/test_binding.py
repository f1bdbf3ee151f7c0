"""The Python package: every registry function as a method with a real
signature, positional and named arguments, errors as Error subclasses,
pandas and plain results, threads, close and garbage collection."""
import gc
import inspect
import json
import math
import re
import threading

import pytest

import claimkit
from conftest import PACK


@pytest.fixture
def db():
    with claimkit.open(frames=False) as d:
        d.import_pack(PACK)
        yield d


def test_pandas_is_installed_here():
    # CI installs python3-pandas, so the DataFrame path below always runs.
    import pandas  # noqa: F401


def test_every_registry_function_is_a_method_with_its_signature(db):
    for fn in db.functions():
        method = getattr(db, fn["name"])
        params = list(inspect.signature(method).parameters)
        wanted = [p["name"] + ("_" if p["name"] in ("from",) else "") for p in fn["params"]]
        assert params == wanted, fn["name"]
        assert fn["doc"] in method.__doc__
    assert inspect.signature(db.consensus).parameters["measure"].default == "cns"
    assert inspect.signature(db.value).return_annotation is float


CALLS = [  # every built-in function through the binding, with its answer
    ("consensus", ("open-closed-parity",), {}, pytest.approx(0.5424857003518557)),
    ("consensus", ("open-closed-parity", "n"), {}, 5.0),
    ("label", ("competition-shift",), {}, "consensus"),
    ("split", ("domestic-chip-turning-point",), {}, pytest.approx(2.5)),
    ("framework", ("commercial-realization",), {}, pytest.approx(0.5118307034496318)),
    ("stance", ("open-closed-parity", "stanford-hai"), {}, 1.0),
    ("value", ("deepseek", "aa-index"), {"period": "2026-03"}, 41.61),
    ("estimates", ("deepseek-v4", "context-length"), {"stat": "n"}, 2.0),
    ("gap", ("aa-index", "google", "deepseek", "2026-03"), {}, pytest.approx(15.44)),
    ("ratio", ("aa-index", "google", "deepseek", "2026-03"), {}, pytest.approx(57.05 / 41.61)),
    ("rank", ("aa-index", "deepseek"), {}, 6.0),
    ("change", ("deepseek", "financing-target-valuation"), {"from_": "2026-Q1", "to": "2026-04"}, 1.0),
    ("quantity", ("两百多亿美元",), {"part": "hi"}, 3e10),
    ("track", ("jefferies",), {"stat": "n"}, 0.0),
]


@pytest.mark.parametrize("name,args,kwargs,want", CALLS)
def test_scalar_functions(db, name, args, kwargs, want):
    assert getattr(db, name)(*args, **kwargs) == want


def test_list_and_object_functions(db):
    views = db.views("open-closed-parity")
    assert isinstance(views, claimkit.Rows) and len(views) == 5
    assert {"actor", "name", "region", "stance", "as_of", "source", "locator",
            "quote"} <= set(views[0])
    assert [s["period"] for s in db.series("deepseek", "financing-target-valuation")] == \
        ["2026-Q1", "2026-04"]
    assert db.sources("doubao", "mau")[0]["quantity"] == "2.26亿到3亿3之间"
    assert db.quantities("跌了15%")[0]["value"] == -0.15
    assert db.revisions("open-closed-parity", "2026-01-01", "2026-12-31") == \
        {"up": 0, "down": 0, "unchanged": 0, "new": 5}
    assert db.drift("open-closed-parity", "n", ["2026-01-01", "2026-05-01"])[1]["value"] == 5
    assert db.stats()["claims"] == 72
    assert db.sql("SELECT count(*) AS n FROM actors")[0]["n"] == 17
    assert db.sql("SELECT ? + ? AS s", [1, 2])[0]["s"] == 3


def test_named_and_positional_arguments_agree(db):
    a = db.consensus("open-closed-parity", "mean", "region=domestic")
    b = db.consensus(question="open-closed-parity", filter="region=domestic", measure="mean")
    c = db.consensus("open-closed-parity", filter="region=domestic", measure="mean")
    d = db.call("consensus", "open-closed-parity", measure="mean", filter="region=domestic")
    assert a == b == c == d == 1.0  # optimistic +2 and mainstream 0


def test_infinite_bounds_come_back_as_floats(db):
    assert db.value("qwen", "mau", part="hi") == math.inf
    assert db.quantity("超过3亿", 0, "hi") == math.inf
    assert math.isnan(db.estimates("wenxin", "mau", stat="sd"))


@pytest.mark.parametrize("call,cls,code,text", [
    (lambda d: d.consensus("nope"), claimkit.NotFoundError, 3, "no question 'nope'"),
    (lambda d: d.value("deepseek", "aa-index", "1999"), claimkit.NotFoundError, 3, "no observations"),
    (lambda d: d.consensus("open-closed-parity", "median2"), claimkit.InvalidError, 2, "unknown measure"),
    (lambda d: d.consensus("open-closed-parity", filter="colour=red"), claimkit.InvalidError, 2, "unknown key"),
    (lambda d: d.consensus(), claimkit.InvalidError, 2, "missing argument 'question'"),
    (lambda d: d.consensus("q", qestion="x"), claimkit.InvalidError, 2, "no parameter 'qestion'"),
    (lambda d: d.consensus("q", question="x"), claimkit.InvalidError, 2, "given twice"),
    (lambda d: d.call("nosuch"), claimkit.NotFoundError, 3, "no function 'nosuch'"),
    (lambda d: d.import_pack({"claims": [{"actor": "x", "question": "y", "stance": 1}]}),
     claimkit.InvalidError, 2, "/claims/0/actor: unknown actor 'x'"),
    (lambda d: d.import_pack("/nonexistent/pack.json"), claimkit.IoError, 5, "cannot open"),
    (lambda d: d.script("error('boom')"), claimkit.ScriptError, 7, "script:1: boom"),
    (lambda d: d.export("colour=red"), claimkit.InvalidError, 2, "unknown key"),
])
def test_errors_raise_their_class_with_the_code(db, call, cls, code, text):
    with pytest.raises(cls) as info:
        call(db)
    assert info.value.code == code
    assert text in str(info.value)
    assert isinstance(info.value, claimkit.Error)


def test_error_classes_are_also_the_python_ones(db):
    with pytest.raises(LookupError):
        db.consensus("nope")
    with pytest.raises(ValueError):
        db.consensus()
    with pytest.raises(OSError):
        claimkit.open("/nonexistent/dir/x.db")


def header_status_codes(source_dir):
    """The status codes claimkit.h defines: the #defines of its "Status
    codes." block, {"CK_OK": 0, ...}."""
    text = (source_dir / "core" / "include" / "claimkit.h").read_text(encoding="utf-8")
    block = text[text.index("** Status codes."):]
    block = block[block.index("#define"):]
    block = block[:block.index("\n\n")]
    codes = {}
    for line in block.splitlines():
        match = re.match(r"#define (CK_[A-Z_]+) (\d+)\s", line + " ")
        assert match, f"claimkit.h: not a status code: {line}"
        codes[match.group(1)] = int(match.group(2))
    return codes


def test_status_codes_and_their_names_come_from_the_library(source_dir):
    header = header_status_codes(source_dir)
    assert len(header) >= 10 and header["CK_OK"] == 0
    assert claimkit._native.CODES == header
    for name, code in header.items():
        assert getattr(claimkit._native, name[3:]) == code
        # each code raises its own class, whose doc names the code
        cls = claimkit._ERRORS.get(code)
        if code != header["CK_OK"]:
            assert cls is not None, f"no Error subclass for {name}"
            assert cls.code == code and cls.__doc__.startswith(name)
            assert claimkit._error(code, "x").code == code


def test_read_only_databases(tmp_path):
    path = tmp_path / "c.db"
    with claimkit.open(path) as d:
        d.import_pack(PACK)
    with claimkit.open(path, readonly=True) as d:
        assert d.stats()["claims"] == 72
        with pytest.raises(claimkit.ReadOnlyError):
            d.import_pack({"actors": [{"id": "x"}]})


def test_import_from_a_dict_text_or_path_and_export(tmp_path):
    pack = json.loads(PACK.read_text(encoding="utf-8"))
    with claimkit.open() as a, claimkit.open() as b, claimkit.open() as c:
        a.import_pack(pack)
        b.import_pack(PACK.read_text(encoding="utf-8"))
        c.import_pack(str(PACK))
        assert a.export() == b.export() == c.export()
        assert json.loads(a.export("region=overseas"))["claimkit"] == 1


def test_functions_registered_from_lua_become_methods(db):
    db.script("""ck.register{name = "double", returns = "number",
        params = {{name = "x", type = "number", doc = "a number"}},
        fn = function(x) return 2 * x end}""")
    assert db.double(21) == 42
    assert list(inspect.signature(db.double).parameters) == ["x"]
    assert db.watch_team()["status"] == "contested"  # from the pack's script


def test_a_null_result_runs_the_function_once(db):
    db.script("calls = 0 ck.register{name = 'once', params = {'x'}, fn = "
              "function(x) calls = calls + 1 if x == 1 then return -1 / 0 end end}")
    assert db.once(1) == float("-inf")
    assert db.once(2) is None
    db.script("assert(calls == 2, calls)")


def test_pandas_results_are_dataframes():
    import pandas
    with claimkit.open() as d:
        assert d.frames
        d.import_pack(PACK)
        views = d.views("open-closed-parity")
        assert isinstance(views, pandas.DataFrame)
        assert list(views["actor"]) == sorted(views["actor"])
        assert views.shape == (5, 8)
        assert isinstance(d.views("open-closed-parity", "region=nowhere"), pandas.DataFrame)


def test_without_pandas_results_are_lists_with_html():
    with claimkit.open(frames=False) as d:
        d.import_pack(PACK)
        rows = d.views("open-closed-parity")
        assert type(rows) is claimkit.Rows and isinstance(rows, list)
        assert "<table>" in rows._repr_html_() and "stanford-hai" in rows._repr_html_()
        assert "<td>72</td>" in d._repr_html_()
        assert "<table>" in d.stats()._repr_html_()


def test_separate_handles_in_threads(tmp_path):
    path = tmp_path / "t.db"
    with claimkit.open(path) as d:
        d.import_pack(PACK)
    results, errors = [], []

    def work():
        try:
            with claimkit.open(path, readonly=True) as mine:
                for _ in range(200):
                    results.append(mine.value("deepseek", "aa-index", "2026-03"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [41.61] * 800


def test_one_handle_shared_by_threads_is_serialised(db):
    results = []

    def work():
        for _ in range(200):
            results.append(len(db.views("open-closed-parity")))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [5] * 800


def test_use_after_close_raises_and_close_is_idempotent():
    d = claimkit.open()
    consensus = d.consensus
    d.close()
    d.close()
    assert d.closed
    with pytest.raises(claimkit.MisuseError):
        consensus("q")
    with pytest.raises(claimkit.MisuseError):
        d.export()
    assert "closed" in repr(d) and "closed" in d._repr_html_()


def test_garbage_collection_closes(tmp_path):
    for _ in range(50):
        d = claimkit.open(tmp_path / "gc.db")
        d.import_pack({"actors": [{"id": "a"}]})
        del d
        gc.collect()
    with claimkit.open(tmp_path / "gc.db") as d:
        assert d.stats()["actors"] == 1


def test_the_package_checks_the_library_version():
    assert claimkit.library_version() == claimkit.__version__


def test_frames_show_numbers_as_an_analyst_reads_them():
    import pandas
    with claimkit.open() as d:
        d.import_pack(PACK)
        q = d.quantities("两百多亿美元，超过3亿，跌了15%，增长了超过40%，57.05")
        assert isinstance(q, pandas.DataFrame)
        text = repr(q)
        assert "e+" not in text and "e-" not in text  # one format, no exponents
        assert "20,000,000,000" in text and "30,000,000,000" in text
        assert "-15%" in text and "40%" in text  # a percent is written as one
        assert "57.05" in text
        assert q.loc[1, "hi"] == math.inf  # an open bound is +inf, not missing
        assert q.loc[2, "value"] == -0.15  # the numbers themselves unchanged
        html = q._repr_html_()
        assert "20,000,000,000" in html and "-15%" in html
        hi = d.sources("qwen", "mau")["hi"]
        assert hi.dtype.kind == "f" and math.isinf(hi.max())
        assert "inf" in repr(d.sources("qwen", "mau")[["lo", "hi"]])
        assert type(q[q["value"] > 0]).__name__ == "Frame"  # operations keep it
    with claimkit.open(frames=False) as d:
        rows = d.quantities("超过3亿，不到5")
        assert rows[0]["hi"] == math.inf and rows[1]["lo"] == 0
        assert d.quantities("低于-5")[0]["lo"] == -math.inf


def test_frames_show_percent_points_and_basis_points_in_their_own_unit():
    with claimkit.open() as d:
        q = d.quantities("毛利率19.8%，下降0.5个百分点，降息50个基点，跌了超过15%")
        text, html = repr(q), q._repr_html_()
        for shown in ("19.8%", "-0.5 pp", "50 bp", "-15%", "-inf"):
            assert shown in text and shown in html
        assert "0.005" not in text  # not the stored fraction
        assert list(q["unit"]) == ["%", "pp", "bp", "%"]
        assert q.loc[1, "value"] == -0.005 and q.loc[2, "value"] == 0.005
