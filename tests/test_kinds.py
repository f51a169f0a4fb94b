"""The source interface: one registry of kinds, each read by one module's ``read``; files named
on the command line that are no known kind are errors; ``--as`` names the kind."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest

from depguard.sources import kinds
from depguard.sources.kinds import classify

from support import write


@pytest.mark.parametrize("kind", [k for k in kinds.KINDS if k.reader], ids=str)
def test_every_kind_is_read_by_one_module_with_the_declared_interface(kind: kinds.Kind) -> None:
    module = importlib.import_module(f"depguard.sources.{kind.reader}")
    parameters = list(inspect.signature(module.read).parameters)
    assert parameters == ["path", "display", "context"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("requirements.txt", "requirements"),
        ("requirements-dev.in", "requirements"),
        ("requirements/base.txt", "requirements"),
        ("constraints.txt", "requirements"),
        ("pyproject.toml", "pyproject"),
        ("package.json", "package.json"),
        ("npm-shrinkwrap.json", "package-lock"),
        ("src/app.py", "python"),
        ("notes.ipynb", "notebook"),
        ("web/app.tsx", "javascript"),
        ("poetry.lock", "poetry.lock"),
        ("uv.lock", "uv.lock"),
        ("pylock.toml", "pylock"),
        ("pylock.dev.toml", "pylock"),
        ("Pipfile.lock", "Pipfile.lock"),
        ("pdm.lock", "pdm.lock"),
        ("pnpm-lock.yaml", "pnpm-lock"),
        ("web/yarn.lock", "yarn.lock"),
        ("bun.lock", "bun.lock"),
        ("package-lock.json", "package-lock"),
        ("types.d.ts", None),
        ("vendor.min.js", None),
        ("README.md", None),
        ("setup.cfg.txt", None),
    ],
)
def test_kinds_by_file_name(name: str, expected: str | None) -> None:
    found = classify(Path(name))
    assert (found.name if found else None) == expected


def test_kind_names_are_unique_and_found_by_name() -> None:
    assert len(kinds.BY_NAME) == len(kinds.KINDS)
    for kind in kinds.KINDS:
        assert kinds.named(kind.name) is kind


def test_a_named_file_of_no_known_kind_is_an_error_and_the_rest_is_checked(
    depguard: Any, workdir: Path
) -> None:
    write(workdir / "deps.yaml", "packages:\n  - six\n")
    write(workdir / "requirements.txt", "six\n")
    write(workdir / "dev.txt", "six\n")  # any .txt named explicitly is a requirements file
    result = depguard("check", "deps.yaml", "requirements.txt", "dev.txt", "--format", "json")
    assert result.code == 1
    [error] = result.json["errors"]
    assert error["path"] == "deps.yaml" and "--as KIND" in error["message"]
    assert "not a kind of file depguard reads" in error["message"]
    assert [loc["path"] for loc in result.package("six")["locations"]] == [
        "dev.txt",
        "requirements.txt",
    ]


def test_as_forces_a_kind(depguard: Any, workdir: Path) -> None:
    write(workdir / "deps.list", "six==1.16.0\n")
    result = depguard("check", "deps.list", "--as", "requirements", "--format", "json")
    assert result.json["errors"] == []
    assert result.package("six")["locations"] == [{"path": "deps.list", "line": 1}]
    bad = depguard("check", "deps.list", "--as", "gemfile")
    assert bad.code == 2 and "gemfile" in bad.err and "requirements" in bad.err
