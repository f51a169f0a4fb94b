"""`python -m depguard.data.refresh`: each bundled file rebuilt from its upstream source.

The upstream sources are served by the loopback registry (recorded byte for byte) or read from
the copies in the shared data directory; the rebuilt files are compared with the bundled ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from depguard.data import refresh
from depguard.data.upstream import SourceError, npm_high_impact

from support.registry_server import Answer, RegistryServer

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "depguard" / "data"
FIXTURES = REPO / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"
TARBALL = FIXTURES / "npm" / "tarballs" / "npm-high-impact-1.12.0.tgz"


def run(*args: str) -> int:
    return refresh.main(list(args))


# -- pypi ---------------------------------------------------------------------------------------
@pytest.mark.skipif(
    not (SHARED_DATA / "top-pypi-packages.json").is_file(), reason="shared data not beside repo"
)
def test_pypi_from_the_shared_copy_rebuilds_the_bundled_file(tmp_path: Path) -> None:
    out = tmp_path / "pypi-popular.tsv"
    assert (
        run("pypi", "--from", str(SHARED_DATA / "top-pypi-packages.json"), "--output", str(out))
        == 0
    )
    assert out.read_bytes() == (DATA / "pypi-popular.tsv").read_bytes()


def test_pypi_from_the_upstream_url(registry: RegistryServer, tmp_path: Path) -> None:
    body = (FIXTURES / "data" / "top-pypi-packages.head.json").read_bytes()
    registry.routes["/top-pypi-packages.min.json"] = Answer(200, body)
    out = tmp_path / "top.tsv"
    code = run("pypi", "--url", f"{registry.base}/top-pypi-packages.min.json", "--output", str(out))
    assert code == 0
    text = out.read_text()
    assert text.startswith("# snapshot-date: 2026-04-01\n# The 5 most-downloaded PyPI projects")
    assert "last_update 2026-04-01 06:34:06 (data: ClickHouse)" in text
    assert _rows(text) == _rows((DATA / "pypi-popular.tsv").read_text())[:5]


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if not line.startswith("#")]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<html>", "not JSON"),
        (b'{"rows": {}}', "no 'rows' list"),
        (b'{"rows": [{"project": "a b", "download_count": 1}]}', "bad project name"),
        (b'{"rows": [{"project": "ok", "download_count": "many"}]}', "bad download_count"),
        (b'{"rows": []}', "no rows"),
    ],
)
def test_pypi_refuses_data_it_does_not_understand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: bytes, message: str
) -> None:
    source = tmp_path / "top.json"
    source.write_bytes(document)
    out = tmp_path / "out.tsv"
    out.write_text("previous\n")
    assert run("pypi", "--from", str(source), "--output", str(out)) == 1
    assert message in capsys.readouterr().err
    assert out.read_text() == "previous\n"  # never half-written


def test_pypi_unreachable_upstream_fails_cleanly(
    registry: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.tsv"
    assert run("pypi", "--url", f"{registry.base}/missing.json", "--output", str(out)) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert not out.exists()


# -- npm ----------------------------------------------------------------------------------------
def test_npm_from_the_registry_rebuilds_the_bundled_file(
    registry: RegistryServer, tmp_path: Path
) -> None:
    from support.release_files import serve

    registry.handler = serve
    out = tmp_path / "npm-popular.tsv"
    code = run(
        "npm",
        "--registry",
        registry.npm_registry,
        "--version",
        "1.12.0",
        "--date",
        "2025-12-04",
        "--output",
        str(out),
    )
    assert code == 0
    assert out.read_bytes() == (DATA / "npm-popular.tsv").read_bytes()
    assert registry.count("/npm/npm-high-impact/-/npm-high-impact-1.12.0.tgz") == 1


def test_npm_header_date_defaults_to_the_registry_publish_time(
    registry: RegistryServer, tmp_path: Path
) -> None:
    from support.release_files import serve

    registry.handler = serve
    out = tmp_path / "npm.tsv"
    assert (
        run("npm", "--registry", registry.npm_registry, "--version", "1.12.0", "--output", str(out))
        == 0
    )
    packument = json.loads((FIXTURES / "npm" / "packument" / "npm-high-impact.json").read_text())
    published = packument["time"]["1.12.0"][:10]
    assert out.read_text().startswith(f"# snapshot-date: {published}\n")


def test_npm_tarball_that_does_not_match_its_integrity_is_refused(
    registry: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = bytearray(TARBALL.read_bytes())
    body[-1] ^= 0xFF
    registry.routes["/npm/npm-high-impact/-/npm-high-impact-1.12.0.tgz"] = Answer(
        200, bytes(body), {"Content-Type": "application/octet-stream"}
    )
    out = tmp_path / "npm.tsv"
    code = run(
        "npm", "--registry", registry.npm_registry, "--version", "1.12.0", "--output", str(out)
    )
    assert code == 1
    assert "does not match the registry's sha512 integrity" in capsys.readouterr().err
    assert not out.exists()


def test_npm_from_a_local_tarball(tmp_path: Path) -> None:
    out = tmp_path / "npm.tsv"
    assert run("npm", "--from", str(TARBALL), "--date", "2025-12-04", "--output", str(out)) == 0
    assert out.read_bytes() == (DATA / "npm-popular.tsv").read_bytes()


def test_npm_lists_are_read_as_string_literals_never_run() -> None:
    assert npm_high_impact.string_array("export const top = [\n  'a',\n  \"b-c\",\n]\n", "x") == [
        "a",
        "b-c",
    ]
    with pytest.raises(SourceError, match="unexpected text"):
        npm_high_impact.string_array("export const top = ['a', require('fs'), 'b']", "x")
    with pytest.raises(SourceError, match="not an npm package name"):
        npm_high_impact.string_array("export const top = ['Not Valid']", "x")
    with pytest.raises(SourceError, match="no `export const"):
        npm_high_impact.string_array("module.exports = ['a']", "x")


# -- the command ----------------------------------------------------------------------------------
def test_runs_as_a_module_and_explains_itself() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "depguard.data.refresh", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    for command in ("pypi", "npm", "import-names"):
        assert command in result.stdout
