"""reports/sample/report.html in a real browser (headless Chromium): it loads without console
messages or failed requests, its charts are drawn, every outlet is there, the page is not blank.

Chromium comes from scripts/install-chromium.sh (run by `make test`). Without it this test
fails when CI is set and is skipped otherwise. FRAMING_CHROMIUM may name the binary.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "sample" / "report.html"
OUTLETS = ROOT / "reports" / "sample" / "outlets.csv"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def chromium() -> str:
    candidates = [os.environ.get("FRAMING_CHROMIUM", "")] + [
        shutil.which(name) or "" for name in ("chromium", "chromium-browser", "google-chrome")
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    message = "headless Chromium not found: run scripts/install-chromium.sh (make test does) or set FRAMING_CHROMIUM"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args, REPORT.as_uri()]
    # The timeout only stops a hung browser; nothing is asserted about time.
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def dumped(tmp_path_factory) -> tuple[str, str]:
    assert REPORT.exists(), "reports/sample/report.html is missing: run `make report`"
    done = run_browser(tmp_path_factory.mktemp("dom"), "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def test_page_loads_without_console_messages_or_failed_requests(dumped):
    dom, log = dumped
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert not re.search(r"net::ERR_|Failed to load resource", log)
    assert "<h1>" in dom and "</html>" in dom


def test_charts_are_drawn(dumped):
    dom, _ = dumped
    figures = re.findall(r'<figure id="chart-([a-z_]+)">(.*?)</figure>', dom, flags=re.S)
    assert figures, "no chart in the rendered page"
    for name, body in figures:
        assert "<svg" in body, name
        assert len(re.findall(r"<(?:path|rect|image)\b", body)) >= 5, f"chart {name} has nothing drawn"


def test_frames_section_and_its_charts_are_in_the_dom(dumped):
    dom, _ = dumped
    section = dom.split('<section id="frames">', 1)[1].split("</section>", 1)[0]
    for name in ("frames_pfc", "frames_generic"):
        body = section.split(f'<figure id="chart-{name}">', 1)[1].split("</figure>", 1)[0]
        assert "<svg" in body and len(re.findall(r"<path\b", body)) >= 5, name
    assert 'id="frames-pfc"' in section and 'class="frame-cue' in section


def test_every_outlet_appears(dumped):
    dom, _ = dumped
    with open(OUTLETS, encoding="utf-8", newline="") as handle:
        outlets = [row["outlet"] for row in csv.DictReader(handle)]
    assert outlets
    for outlet in outlets:
        escaped = outlet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert f"<td>{escaped}</td>" in dom, outlet


def test_screenshot_is_not_blank(tmp_path):
    shot = tmp_path / "report.png"
    done = run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    assert float(pixels.std()) > 0.05
    non_white = float((pixels.min(axis=2) < 0.9).mean())
    assert non_white > 0.02  # text, tables and a chart, not an empty page
    colourful = float((np.ptp(pixels, axis=2) > 0.2).mean())
    assert colourful > 0.001  # the heatmap's colours made it onto the page
