"""The package's type stub (claimkit/__init__.pyi): generated from the
registry the built library has, true to the module at run time (mypy's
stubtest), and what lets Debian's mypy check the examples and refuse a
wrong call."""
import importlib.util
import os
import subprocess

STUB = ("bindings", "python", "claimkit", "__init__.pyi")


def load_tool(source_dir):
    spec = importlib.util.spec_from_file_location(
        "python_stub", source_dir / "tools" / "python_stub.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def mypy(source_dir, tmp_path, *args):
    env = dict(os.environ, MYPYPATH=str(source_dir / "bindings" / "python"))
    return subprocess.run(["/usr/bin/python3", "-m", "mypy", "--cache-dir",
                           str(tmp_path / "mypy-cache"), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def test_the_stub_is_generated_from_the_registry(source_dir, build_dir):
    tool = load_tool(source_dir)
    fns = tool.functions(str(build_dir / "core" / "libclaimkit.so"))
    stub = source_dir.joinpath(*STUB).read_text(encoding="utf-8")
    assert stub == tool.render(fns), "run tools/python_stub.py LIBRARY STUB"
    for fn in fns:  # every registry function, with every parameter
        assert f"    def {fn['name']}(self" in stub
        start = stub.index(f"    def {fn['name']}(self")
        signature = stub[start:stub.index(") ->", start)]
        for p in fn["params"]:
            assert p["name"] in signature


def test_the_stub_is_true_to_the_module(source_dir, build_dir, tmp_path):
    """stubtest compares the stub with the imported package: every class,
    function, method and signature written by hand there; the registry's
    methods exist only on an open database, so they are allowed."""
    tool = load_tool(source_dir)
    fns = tool.functions(str(build_dir / "core" / "libclaimkit.so"))
    allow = tmp_path / "allowlist"
    allow.write_text("".join(f"claimkit.Database.{fn['name']}\n" for fn in fns)
                     + "claimkit.Table\n"
                     # mypy 1.0's stubtest misreads typing.Iterator in a .py
                     + "claimkit._native.Iterator\n")
    env = dict(os.environ, MYPYPATH=str(source_dir / "bindings" / "python"),
               PYTHONPATH=str(source_dir / "bindings" / "python"),
               CLAIMKIT_LIBRARY=str(build_dir / "core" / "libclaimkit.so"))
    run = subprocess.run(["/usr/bin/python3", "-m", "mypy.stubtest", "claimkit",
                          "--allowlist", str(allow)],
                         capture_output=True, text=True, env=env, timeout=300,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_checks_the_examples(source_dir, tmp_path):
    examples = sorted((source_dir / "examples" / "python").glob("*.py"))
    assert examples
    run = mypy(source_dir, tmp_path, "--strict", *examples)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_refuses_a_wrong_call(source_dir, tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "import claimkit\n"
        "db = claimkit.open('claims.db', frames=False)\n"
        "label: str = db.consensus('parity')\n"             # 3: a float
        "db.consensus('parity', measure=2)\n"               # 4: measure is a str
        "db.consensuss('parity')\n"                         # 5: no such method
        "db.change('deepseek', 'users', from_='2026-Q1')\n"  # 6: to is missing
        "db.quantity('3亿', index='0')\n"                    # 7: index is an int
        "db.draft('text').frame\n"                          # a Pack: fine
        "n: float = db.value('deepseek', 'users', part='hi')\n"  # fine
        "db.sheet(claims=[{'id': 'x'}])\n",                 # fine
        encoding="utf-8")
    run = mypy(source_dir, tmp_path, wrong)
    assert run.returncode == 1
    lines = sorted({int(line.split(":")[1]) for line in run.stdout.splitlines()
                    if line.startswith(str(wrong))})
    assert lines == [3, 4, 5, 6, 7], run.stdout
