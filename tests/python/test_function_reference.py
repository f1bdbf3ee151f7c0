"""The function reference (docs/functions.md) is ck_functions() rendered: a
change to the registry without the page (or the other way) fails here."""
import importlib.util


def load_tool(source_dir):
    spec = importlib.util.spec_from_file_location(
        "function_reference", source_dir / "tools" / "function_reference.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_the_reference_is_generated_from_the_registry(source_dir, build_dir):
    tool = load_tool(source_dir)
    library = str(build_dir / "core" / "libclaimkit.so")
    assert tool.PAGE == source_dir / "docs" / "functions.md"
    page = tool.PAGE.read_text(encoding="utf-8")
    assert tool.splice(page, tool.render(tool.functions(library))) == page


def test_every_function_and_parameter_is_documented(source_dir, build_dir):
    tool = load_tool(source_dir)
    fns = tool.functions(str(build_dir / "core" / "libclaimkit.so"))
    names = {f["name"] for f in fns}
    for name in ("consensus", "label", "split", "framework", "stance", "views",
                 "value", "estimates", "gap", "ratio", "rank", "change",
                 "series", "track", "quantity", "quantities", "stats", "sql",
                 "sources", "revisions", "drift"):
        assert name in names
    for f in fns:
        assert f["doc"] and f["returns"]
        for p in f["params"]:
            assert p["doc"] and p["type"] in (
                "string", "number", "integer", "boolean", "array", "any", "object")
