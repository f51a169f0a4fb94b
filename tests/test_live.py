"""Against the real registries: run with `pytest -m live`. Existence and structure only."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import write

pytestmark = pytest.mark.live


def test_real_packages_exist_with_metadata(live, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests\nflask>=3\nsix==1.16.0\n")
    result = live("check", "-f", "json")
    for name in ("requests", "flask", "six"):
        package = result.package(name)
        meta = package["metadata"]
        assert meta["exists"] is True
        assert meta["created"] and meta["latest_release"] and meta["releases"] > 10
        assert meta["maintainers"], name
        assert package["lookup"]["status"] == "found"
    assert result.package("requests")["metadata"]["repository"].startswith("https://github.com/")


def test_a_name_that_does_not_exist_is_blocked(live, workdir: Path) -> None:
    write(workdir / "requirements.txt", "depguard-live-test-name-that-does-not-exist-7c1f\n")
    result = live("check", "-f", "json")
    assert result.code == 1
    assert result.ids("depguard-live-test-name-that-does-not-exist-7c1f")[0] == "not-found"


def test_yanked_release_and_vulnerabilities_structure(live, workdir: Path) -> None:
    write(workdir / "requirements.txt", "requests==2.32.0\npycrypto\n")
    result = live("check", "-f", "json")
    assert "yanked" in result.ids("requests")
    vulnerable = [f for f in result.package("pycrypto")["findings"] if f["id"] == "vulnerable"]
    assert vulnerable and all("id" in v for v in vulnerable[0]["vulnerabilities"])


def test_big_documents_are_read(live, workdir: Path) -> None:
    write(workdir / "requirements.txt", "botocore\npydantic-core\n")
    result = live("check", "-f", "json")
    for name in ("botocore", "pydantic-core"):
        assert result.package(name)["metadata"]["releases"] > 100


def test_warm_cache_needs_no_network(live, workdir: Path, monkeypatch) -> None:
    write(workdir / "requirements.txt", "idna\n")
    live("check")
    result = live("check", "--offline", "-f", "json")
    assert result.package("idna")["lookup"]["from_cache"] is True


@pytest.mark.parametrize(
    ("ecosystem", "name", "version"),
    [
        ("pypi", "requests", "===2.31.0"),
        ("pypi", "requests", "==2.31.0,<3"),
        ("pypi", "requests", "~=2.31"),
        ("npm", "express", "^4.19"),
    ],
)
def test_approve_versions_as_the_ecosystem_defines_them(
    live, workdir: Path, ecosystem: str, name: str, version: str
) -> None:
    result = live("approve", name, "-e", ecosystem, "--version", version, "--reason", "reviewed")
    assert result.code == 0, result.err
    assert f"{name} exists on" in result.out
    assert f'version = "{version}"' in (workdir / "depguard-allowlist.toml").read_text()


def test_approve_refuses_a_version_the_index_lacks(live, workdir: Path) -> None:
    result = live("approve", "requests", "--version", "===2.31.99", "--reason", "reviewed")
    assert result.code == 1 and "has no version 2.31.99 on PyPI" in result.err
