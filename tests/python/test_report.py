"""The main job: report.lua prints the dashboard and writes a
self-contained report.html whose charts render in headless Chromium."""
import re
import shutil
import subprocess

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


@pytest.fixture(scope="module")
def report(tmp_path_factory, build_dir, source_dir):
    out = tmp_path_factory.mktemp("report")
    result = subprocess.run(
        [str(build_dir / "lua" / "claimkit-lua"), "-d", str(out / "r.db"),
         str(source_dir / "examples" / "deepseek-v4" / "report.lua"),
         str(out / "report.html")],
        check=True, capture_output=True, text=True, timeout=120)
    return out, result.stdout


def test_the_dashboard_reads_the_seed(report):
    _, stdout = report
    assert re.search(r"open-closed-parity\s+tech-frontier\s+5\s+\+0\.20\s+0\.54\s+divergent",
                     stdout)
    assert re.search(r"commercial-realization\s+0\.51", stdout)
    assert re.search(r"deepseek\s+41\.61\s+6\s+-15\.44", stdout)  # rank, gap to top
    for watch in ("Model effectiveness", "Commercialisation",
                  "Domestic compute ecosystem", "Team stability",
                  "Price and competition"):
        assert watch in stdout


def test_the_page_is_self_contained_and_every_link_lands(report):
    out, _ = report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert html.count("<svg") >= 3
    ids = set(re.findall(r'id="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert len(links) > 50
    assert sorted(set(links) - ids) == []
    assert "但是他是不是真的能够在所有的场景下面都胜过闭园的前沿" in html  # a quote


def chromium():
    path = shutil.which("chromium")
    assert path, "chromium is installed by .ci/run (Debian package chromium)"
    return path


def test_the_charts_render_in_chromium(report, tmp_path):
    out, _ = report
    url = (out / "report.html").as_uri()
    dom = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p1'}",
                          "--dump-dom", url],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    for chart in ("frameworks", "stances", "labs"):
        assert f'id="{chart}"' in dom
    assert dom.count("<rect") > 40

    shot = tmp_path / "report.png"
    subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p2'}",
                    "--window-size=1200,2600", f"--screenshot={shot}", url],
                   check=True, capture_output=True, timeout=120)
    from PIL import Image
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2600)
    pixels = image.getdata()
    coloured = sum(1 for r, g, b in pixels if abs(r - g) > 40 or abs(g - b) > 40)
    # the bars: a blank or unstyled page has next to no coloured pixels
    assert coloured > 0.02 * len(pixels), coloured
