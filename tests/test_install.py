"""What a fresh install needs is named in pyproject.toml, not left to other packages' extras."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _direct_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("-", "_")
        for requirement in project["dependencies"]
    }


def test_lxml_html_clean_is_a_direct_dependency():
    """trafilatura → justext imports lxml.html.clean; with lxml 6 that is the separate
    lxml_html_clean package, and the pip of a new virtual environment drops lxml's
    `html_clean` extra, so without naming it the app cannot start."""
    assert "lxml_html_clean" in _direct_dependencies()
    import lxml.html.clean  # noqa: F401 - the import trafilatura needs


def test_the_url_normaliser_is_a_direct_dependency():
    assert "w3lib" in _direct_dependencies()


def test_the_readme_says_browser_tests_need_chromium():
    readme = (ROOT / "README.md").read_text()
    assert "apt-get install -y chromium" in readme
    assert re.search(r"[Bb]rowser tests[^.]*Debian's `chromium`", readme)


def test_a_run_without_chromium_says_so_in_one_line():
    env = {**os.environ, "BROWSER_TESTS_CHROMIUM": "/nonexistent/chromium"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "BROWSER TESTS SKIPPED" in line]
    assert len(lines) == 1, result.stdout
    assert "/nonexistent/chromium is missing (apt-get install -y chromium)" in lines[0]
