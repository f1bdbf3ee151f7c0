"""Chinese in matplotlib under the names analysts type ("Noto Sans CJK SC"):
Debian's fonts-noto-cjk (the README's install line) is a collection whose
first face matplotlib files as "Noto Sans CJK JP" only, so the usual name
drew boxes; claimkit.cjk_fonts() makes every region's name resolve."""
import json
import os
import subprocess
import sys

from conftest import SOURCE

SCRIPT = r'''
import json, sys, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager as fm
import claimkit

TEXT = "两百多亿美元，超过了120万亿：增长了超过40%"

def draw(family):
    plt.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        text = ax.set_title(TEXT)
        ax.bar(["国内", "海外"], [1, 2])
        fig.canvas.draw()
        drawn = fm.findfont(text.get_fontproperties())
        plt.close(fig)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    return {"missing": len(missing), "file": drawn}

out = {"native": "Noto Sans CJK SC" in {e.name for e in fm.fontManager.ttflist}}
out["before"] = draw("Noto Sans CJK SC")
out["names"] = claimkit.cjk_fonts()
out["again"] = claimkit.cjk_fonts()
out["after"] = {name: draw(name) for name in
                ["Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK HK",
                 "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Serif CJK SC"]}
bold = fm.FontProperties(family="Noto Sans CJK SC", weight="bold")
out["bold"] = fm.findfont(bold, fallback_to_default=False)
# a font cache made before fonts-noto-cjk was installed: no CJK entry
fm.fontManager.ttflist[:] = [e for e in fm.fontManager.ttflist if "CJK" not in e.name]
fm.fontManager._findfont_cached.cache_clear()
out["stale"] = draw("Noto Sans CJK SC")
out["stale_names"] = claimkit.cjk_fonts()
out["refreshed"] = draw("Noto Sans CJK SC")
print(json.dumps(out))
'''


def test_the_usual_cjk_names_draw_chinese(tmp_path, build_dir):
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"),  # a fresh font cache
               PYTHONPATH=str(SOURCE / "bindings" / "python"),
               CLAIMKIT_LIBRARY=str(build_dir / "core" / "libclaimkit.so"))
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True,
                         text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    cjk = "/usr/share/fonts/opentype/noto/NotoSansCJK-"
    if not out["native"]:  # matplotlib alone draws boxes for the usual name
        assert out["before"]["missing"] > 0
    assert {"Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP",
            "Noto Serif CJK SC"} <= set(out["names"])
    assert out["again"] == out["names"]
    for name, drawn in out["after"].items():
        assert drawn["missing"] == 0, name
        assert "CJK" in drawn["file"], (name, drawn["file"])
    assert out["after"]["Noto Sans CJK SC"]["file"] == cjk + "Regular.ttc"
    assert out["after"]["Noto Serif CJK SC"]["file"].endswith("NotoSerifCJK-Regular.ttc")
    assert out["bold"] == cjk + "Bold.ttc"
    assert out["stale"]["missing"] > 0
    assert "Noto Sans CJK SC" in out["stale_names"]
    assert out["refreshed"] == {"missing": 0, "file": cjk + "Regular.ttc"}
