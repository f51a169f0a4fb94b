"""The workflow commands against the real registries (run with: pytest -m live).

Only existence and structure are asserted: the mirrors' dates and counts change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPGUARD_")}
    env["DEPGUARD_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.run(
        [sys.executable, "-m", "depguard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_review_of_a_real_package(tmp_path: Path) -> None:
    result = run("review", "requests", "-f", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    package = json.loads(result.stdout)["packages"][0]
    assert package["metadata"]["exists"] is True
    assert package["metadata"]["releases"] > 0
    assert isinstance(package["metadata"]["maintainers"], list)


def test_review_of_a_name_that_does_not_exist(tmp_path: Path) -> None:
    result = run("review", "depguard-live-test-no-such-package-7f3a9c", cwd=tmp_path)
    assert result.returncode == 1
    assert "NO: there is no package of this name" in result.stdout


def test_approve_asks_the_real_index(tmp_path: Path) -> None:
    refused = run("approve", "depguard-live-test-no-such-package-7f3a9c", "-r", "x", cwd=tmp_path)
    assert refused.returncode == 1 and "does not exist" in refused.stderr
    approved = run("approve", "six", "-r", "reviewed", "--by", "ci", cwd=tmp_path)
    assert approved.returncode == 0, approved.stderr
    assert 'name = "six"' in (tmp_path / "depguard-allowlist.toml").read_text()
