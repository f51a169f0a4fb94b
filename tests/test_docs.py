"""The README is generated from the same declarations the code uses."""

from __future__ import annotations

from pathlib import Path

from depguard.findings import CATALOG, with_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_findings_table_matches_the_catalog() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "run: python -m depguard.findings --readme README.md"
    for finding_id in CATALOG:
        assert f"`{finding_id}`" in text


def test_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in first_block.splitlines() if line and not line.startswith("#")]
    assert "depguard check" in commands[0] and "pip install" in commands[0]
    assert "pytest" in commands[1] and "pip install" in commands[1]
    ci = (README.parent / ".ci" / "run").read_text()
    assert "pytest" in ci
