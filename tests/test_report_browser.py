"""The sample report, rendered afresh from corpus/ (not the committed reports/sample), in a real
browser (headless Chromium): it loads without console messages or failed requests, its charts
are drawn, every outlet is there, every in-page link has its target, the page is not blank; and
a report of records whose titles and outlets carry HTML runs none of it.

Chromium comes from scripts/install-chromium.sh (run by `make test`). Without it this test
fails when CI is set and is skipped otherwise. FRAMING_CHROMIUM may name the binary.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg

from framing.cli import main

ROOT = Path(__file__).resolve().parent.parent
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


def run_browser(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()]
    # The timeout only stops a hung browser; nothing is asserted about time.
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def dump(tmp_path: Path, page: Path) -> tuple[str, str]:
    done = run_browser(tmp_path, page, "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """The sample report as `make report` writes it, rendered now by this checkout's code."""
    chromium()  # skip before scoring when there is no browser
    out = tmp_path_factory.mktemp("sample")
    code = main(["report", str(ROOT / "corpus"), "-o", str(out), "--title", "Sample corpus: outlet comparison",
                 "--quiet"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def dumped(fresh, tmp_path_factory) -> tuple[str, str]:
    return dump(tmp_path_factory.mktemp("dom"), fresh / "report.html")


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


def test_every_outlet_appears(dumped, fresh):
    dom, _ = dumped
    with open(fresh / "outlets.csv", encoding="utf-8", newline="") as handle:
        outlets = [row["outlet"] for row in csv.DictReader(handle)]
    assert outlets
    for outlet in outlets:
        escaped = outlet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert f"<td>{escaped}</td>" in dom, outlet


def test_every_in_page_link_has_its_target(dumped):
    dom, _ = dumped
    targets = set(re.findall(r'href="#([^"]+)"', dom))
    assert any(t.startswith("article-") for t in targets)
    assert sorted(targets - set(re.findall(r'\sid="([^"]+)"', dom))) == []


def test_html_in_titles_and_outlets_runs_nothing(fresh, tmp_path):
    records = [json.loads(line) for line in open(fresh / "scores.jsonl", encoding="utf-8")]
    for k, rec in enumerate(copy.deepcopy(records)):
        rec["metadata"]["title"] = f'<img src="missing-{k}.png" onerror="document.body.dataset.owned=1">'
        rec["metadata"]["outlet"] = '<script>document.body.dataset.owned = 2</script>Evil'
        rec["metadata"]["url"] = "javascript:document.body.dataset.owned=3"
        records[k] = rec
    scores = tmp_path / "hostile.jsonl"
    scores.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["report", str(scores), "-o", str(tmp_path / "report"), "--quiet"]) == 0
    dom, log = dump(tmp_path, tmp_path / "report" / "report.html")
    assert "data-owned" not in dom  # no handler or script from the data ran
    assert not re.search(r"<img[^>]*missing-", dom) and "&lt;img src=" in dom
    assert not re.search(r"net::ERR_|Failed to load resource", log)  # the img was never requested
    assert 'href="javascript:' not in dom


def test_screenshot_is_not_blank(fresh, tmp_path):
    shot = tmp_path / "report.png"
    done = run_browser(tmp_path, fresh / "report.html", f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    assert float(pixels.std()) > 0.05
    non_white = float((pixels.min(axis=2) < 0.9).mean())
    assert non_white > 0.02  # text, tables and a chart, not an empty page
    colourful = float((np.ptp(pixels, axis=2) > 0.2).mean())
    assert colourful > 0.001  # the heatmap's colours made it onto the page
