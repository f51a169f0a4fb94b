"""`depguard review` against the real index agrees with what pip installs (``pytest -m live``).

pip runs as a client only (``install --dry-run --report``: nothing is installed), isolated from
this machine's pip configuration, against the same index and for the same Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from depguard import endpoints

pytestmark = pytest.mark.live


def pip_would_install(requirement: str, tmp_path: Path) -> set[tuple[str, str]]:
    report = tmp_path / "pip-report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--isolated",
            "--dry-run",
            "--ignore-installed",
            "--no-cache-dir",
            "--quiet",
            "--disable-pip-version-check",
            "--index-url",
            f"{endpoints.PYPI_INDEX}/simple",
            "--report",
            str(report),
            requirement,
        ],
        check=True,
        env=env,
        timeout=600,
    )
    installed = json.loads(report.read_text())["install"]
    return {
        (re.sub(r"[-_.]+", "-", i["metadata"]["name"]).lower(), i["metadata"]["version"])
        for i in installed
    }


@pytest.mark.parametrize("requirement", ["flask", "requests", "fastapi[standard]"])
def test_review_agrees_with_pip(live, workdir: Path, tmp_path: Path, requirement: str) -> None:
    result = live("review", requirement, "--min-release-age", "0", "--format", "json")
    assert not result.json["errors"], result.json["errors"]
    ours = {(p["normalized"], v) for p in result.json["packages"] for v in p["versions"]}
    assert ours == pip_would_install(requirement, tmp_path)
    name = requirement.split("[", maxsplit=1)[0]
    for package in result.json["packages"]:
        if package["normalized"] == name:
            assert package["direct"] is True
        else:
            assert package["direct"] is False and package["via"][0] == name
    assert result.code == 0, [p for p in result.json["packages"] if p["verdict"] == "block"]


def test_review_tree_from_the_real_index(live, workdir: Path) -> None:
    result = live("review", "flask")
    assert re.search(r"^installing flask \S+ brings in \d+ packages", result.out, re.M)


@pytest.mark.parametrize("spec", ["express@^5", "jest@^29"])
def test_npm_resolution_agrees_with_npm(live, workdir: Path, tmp_path: Path, spec: str) -> None:
    """npm's own lock (``npm install --package-lock-only``: nothing installed, no scripts) and
    depguard's resolution name the same packages at the same versions. No dates involved."""
    import shutil

    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    name, _, wanted = spec.rpartition("@")
    project = tmp_path / "npm-project"
    project.mkdir()
    manifest = {"name": "t", "version": "1.0.0", "dependencies": {name: wanted}}
    (project / "package.json").write_text(json.dumps(manifest))
    subprocess.run(
        [npm, "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=project,
        check=True,
        capture_output=True,
        timeout=600,
        env={**os.environ, "NPM_CONFIG_USERCONFIG": str(tmp_path / "no-npmrc")},
    )
    lock = json.loads((project / "package-lock.json").read_text())
    theirs = {
        (key.split("node_modules/")[-1], entry["version"])
        for key, entry in lock["packages"].items()
        if key
    }
    result = live("review", "--ecosystem", "npm", spec, "--format", "json")
    ours = {(p["name"], v) for p in result.json["packages"] for v in p["versions"]}
    assert ours == theirs
