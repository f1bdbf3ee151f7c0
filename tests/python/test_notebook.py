"""examples/deepseek-v4/analysis.ipynb runs headless (jupyter nbconvert
--execute) with every cell free of errors and every chart cell drawn."""
import json
import os
import subprocess

from conftest import SOURCE, VERSION


def test_the_notebook_executes_and_draws_its_charts(tmp_path, build_dir):
    # As a new user runs it: no PYTHONPATH (the notebook finds the package
    # of its checkout), the library under test named.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(CLAIMKIT_LIBRARY=str(build_dir / "core" / "libclaimkit.so"),
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    notebook = SOURCE / "examples" / "deepseek-v4" / "analysis.ipynb"
    subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=120",
                    "--output-dir", str(tmp_path), "--output", "executed",
                    str(notebook)],
                   check=True, capture_output=True, env=env, timeout=300,
                   cwd=notebook.parent)
    executed = json.loads((tmp_path / "executed.ipynb").read_text(encoding="utf-8"))
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 8
    charts = 0
    for cell in code:
        assert cell["execution_count"] is not None
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert not errors, (cell["source"], [e["evalue"] for e in errors])
        # a Chinese label without a font to draw it: matplotlib says so
        streams = "".join("".join(o.get("text", "")) for o in cell["outputs"]
                          if o["output_type"] == "stream")
        assert "missing from" not in streams, streams
        assert cell["outputs"], cell["source"]
        if "chart" in cell["metadata"].get("tags", []):
            assert any("image/png" in o.get("data", {}) for o in cell["outputs"]), cell["source"]
            charts += 1
    assert charts == 3
    first = code[0]["outputs"][0]["data"]
    assert f"claimkit {VERSION}" in "".join(first["text/html"])  # Database._repr_html_
