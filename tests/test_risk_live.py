"""The risk engine against the real registry (run with: pytest -m live).

Only existence and structure are asserted: dates, counts and ranks change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import write

pytestmark = pytest.mark.live


def test_live_lookalike_and_missing_name(depguard, workdir: Path, monkeypatch, tmp_path) -> None:
    for key in ("DEPGUARD_INDEX_URL", "DEPGUARD_PYPISTATS_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DEPGUARD_CACHE_DIR", str(tmp_path / "live-cache"))
    write(workdir / "requirements.txt", "httpx2\nthis-name-is-not-on-the-index-xq\n")
    result = depguard("check", "-f", "json", "--fail-on", "never")
    squat = next(f for f in result.package("httpx2")["findings"] if f["id"] == "typosquat")
    assert squat["similar_to"] == "httpx" and isinstance(squat["kind"], str)
    missing = result.package("this-name-is-not-on-the-index-xq")["findings"][0]
    assert missing["id"] == "not-found" and isinstance(missing["suggestions"], list)
