"""Input written by an attacker: a clear error with file and line, bounded time, the run goes on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import write

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

pytestmark = pytest.mark.timeout(120)


def assert_clean(text: str) -> None:
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert "Traceback" not in text


def test_100k_line_requirements(depguard, workdir: Path) -> None:
    lines = [f"pkg-{i % 500}>={i % 7}" for i in range(100_000)]
    lines[50_000] = "broken line ==="
    write(workdir / "requirements.txt", "\n".join(lines) + "\n")
    result = depguard("check", "--offline", "-f", "json")
    assert len(result.json["packages"]) == 500
    assert [e["line"] for e in result.json["errors"]] == [50_001]
    assert result.code == 1


def test_binary_invalid_utf8_and_overlong_lines(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", b"six\n\x89PNG\r\n\x1a\n\x00\x00binary")
    write(workdir / "requirements-dev.txt", b"idna\nfl\xe4sk\n")
    write(workdir / "requirements-ci.txt", "idna\n" + "x" * 200_000 + "\n")
    result = depguard("check", ".", "--offline", "-f", "json")
    errors = {e["path"]: e for e in result.json["errors"]}
    assert "binary" in errors["requirements.txt"]["message"]
    assert errors["requirements-dev.txt"]["line"] == 2
    assert errors["requirements-ci.txt"]["line"] == 2
    assert "idna" in {p["normalized"] for p in result.json["packages"]}
    assert result.code == 1


def test_oversized_manifest_is_refused(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a" * (9 * 1024 * 1024))
    result = depguard("check", "--offline", "-f", "json")
    assert "larger than" in result.json["errors"][0]["message"] and result.code == 1


def test_deep_and_huge_toml_and_json(depguard, workdir: Path) -> None:
    write(workdir / "pyproject.toml", "[project]\ndependencies = " + "[" * 20_000 + "]" * 20_000)
    write(
        workdir / "web" / "package.json", '{"dependencies": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", ".", "--offline", "-f", "json")
    paths = {e["path"] for e in result.json["errors"]}
    assert {"pyproject.toml", "web/package.json"} <= paths
    assert "six" in {p["normalized"] for p in result.json["packages"]}


def test_control_characters_and_confusables_in_names(depguard, workdir: Path) -> None:
    write(
        workdir / "requirements.txt",
        "six\nreq\x1b[31muests\nr\u0435quests\nflask\u202e\n\x07bell\n",
    )
    write(
        workdir / "package.json",
        json.dumps(
            {
                "dependencies": {
                    "l\u0430dash": "^4",
                    "evil\u001b]0;title\u0007": "1.0.0",
                    "left-pad": "^1",
                }
            },
            indent=2,
        ),
    )
    result = depguard("check", ".", "--offline", "-f", "json")
    assert result.code == 1
    lines = sorted(e["line"] for e in result.json["errors"] if e["path"] == "requirements.txt")
    assert lines == [2, 3, 4, 5]
    assert any(e["path"] == "package.json" for e in result.json["errors"])
    text = depguard("check", ".", "--offline").out
    assert_clean(text)


def test_include_bomb(depguard, workdir: Path) -> None:
    for i in range(200):
        write(workdir / f"r{i}.txt", "\n".join(f"-r r{j}.txt" for j in range(200)) + "\nsix\n")
    write(workdir / "requirements.txt", "-r r0.txt\n")
    result = depguard("check", "requirements.txt", "--offline", "-f", "json")
    assert [p["normalized"] for p in result.json["packages"]] == ["six"]


def test_python_source_bombs(depguard, workdir: Path) -> None:
    write(workdir / "deep.py", "x = " + "(" * 5000 + ")" * 5000 + "\nimport six\n")
    write(workdir / "long.py", "import idna\nx = 1" + " + 1" * 200_000 + "\n")
    write(workdir / "ok.py", "import flask\n")
    result = depguard("check", ".", "--offline", "-f", "json")
    assert any(e["path"] == "deep.py" for e in result.json["errors"])
    assert "flask" in {p["normalized"] for p in result.json["packages"]}
