"""The command surface as a user and a CI script see it: the JSON contract (``schema: 1``), the
options each command lists, and a command layer that stays typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "depguard"

PACKAGE_KEYS = [
    "ecosystem",
    "name",
    "normalized",
    "specifier",
    "versions",
    "aliases",
    "locations",
    "direct",
    "verdict",
    "risk",
    "reason",
    "findings",
    "allowlisted",
    "lookup",
    "metadata",
]
METADATA_KEYS = [
    "exists",
    "created",
    "latest_release",
    "latest_version",
    "releases",
    "maintainers",
    "downloads_last_month",
    "downloads_source",
    "repository",
    "summary",
    "status",
    "organization",
]


def test_json_contract_of_check(depguard, workdir: Path) -> None:
    (workdir / "requirements.txt").write_text(
        "requests==2.32.0\npython-dateutils\nflask>=3.0 ; python_version>'3'\nbad line ===\n"
    )
    (workdir / "package.json").write_text('{"dependencies": {"left-pad": "^1.3.0"}}')
    result = depguard("check", ".", "--format", "json", "--no-imports")
    assert result.code == 1
    document = result.json
    assert list(document) == ["schema", "tool", "packages", "errors", "notices", "summary"]
    assert document["schema"] == 1
    assert list(document["tool"]) == ["name", "version"]
    assert list(document["summary"]) == ["allow", "warn", "block", "errors", "worst"]
    assert document["summary"]["worst"] == "block"
    assert document["summary"]["errors"] == 1
    [error] = document["errors"]
    assert error == {
        "id": "parse-error",
        "severity": "high",
        "path": "requirements.txt",
        "line": 4,
        "message": error["message"],
    }
    for package in document["packages"]:
        assert [key for key in package if key != "via"] == PACKAGE_KEYS  # via: transitive only
        assert list(package["lookup"]) == ["status", "from_cache", "stale", "error"]
        assert list(package["metadata"])[: len(METADATA_KEYS)] == METADATA_KEYS
        for finding in package["findings"]:
            assert list(finding)[:3] == ["id", "severity", "message"]
    requests = result.package("requests")
    assert (requests["specifier"], requests["versions"]) == ("==2.32.0", ["2.32.0"])
    assert requests["locations"] == [{"path": "requirements.txt", "line": 1}]
    assert requests["lookup"]["status"] == "found" and requests["metadata"]["exists"] is True
    missing = result.package("python-dateutils")
    assert missing["verdict"] == "block" and missing["metadata"]["exists"] is False
    assert missing["lookup"]["status"] == "not-found"
    assert result.package("left-pad")["ecosystem"] == "npm"


def test_same_json_for_the_same_inputs(depguard, workdir: Path) -> None:
    (workdir / "requirements.txt").write_text("requests==2.32.0\nflask\n")
    first = depguard("check", "--format", "json", "--no-imports").out
    again = depguard("check", "--format", "json", "--no-imports").out
    strip = re.compile(r'"from_cache": (true|false)')
    assert strip.sub("", first) == strip.sub("", again)


JUDGING = [
    "--fail-on",
    "--index-url",
    "--private-index-url",
    "--npm-registry",
    "--cache-dir",
    "--cache-url",
    "--deadline",
    "--no-cache",
    "--refresh",
    "--offline",
    "--allowlist",
    "--require-allowlist",
    "--fail-open",
    "--config",
    "--concurrency",
    "--timeout",
]
INSTALLER = [
    o for o in JUDGING if o not in ("--index-url", "--private-index-url", "--npm-registry")
]
OPTIONS = {
    ("check",): [
        "--format",
        "--output",
        *JUDGING,
        "--exclude",
        "--allow-outside-includes",
        "--project-status",
        "--include-fixtures",
        "--diff",
        "--no-imports",
        "--python-version",
        "--resolve",
        "--as",
        "--platform",
        "--min-release-age",
        "--verbose",
        "--quiet",
    ],
    ("review",): [
        "--ecosystem",
        "--no-resolve",
        "--format",
        "--output",
        *JUDGING,
        "--python-version",
        "--platform",
        "--min-release-age",
        "--quiet",
    ],
    ("pip",): ["--force", *INSTALLER, "--verbose", "--quiet"],
    ("npm",): ["--force", *INSTALLER, "--verbose", "--quiet"],
    ("approve",): [
        "--reason",
        "--by",
        "--version",
        "--expires",
        "--ecosystem",
        "--allowlist",
        "--force",
        "--index-url",
        "--private-index-url",
        "--cache-dir",
        "--no-cache",
        "--offline",
        "--config",
        "--timeout",
    ],
    ("deny",): ["--reason", "--by", "--expires", "--ecosystem", "--allowlist", "--config"],
    ("allowlist", "check"): ["--format", "--allowlist", "--exclude", "--config"],
}


@pytest.mark.parametrize("command", list(OPTIONS), ids=" ".join)
def test_every_command_lists_its_options(depguard, command: tuple[str, ...]) -> None:
    result = depguard(*command, "--help")
    assert result.code == 0
    listed = re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", result.out, re.MULTILINE)
    assert sorted(listed) == sorted([*OPTIONS[command], "--help"])


def test_the_command_layer_is_typed() -> None:
    for module in ("cli.py", "cli_options.py", "option_groups.py"):
        text = (SRC / module).read_text(encoding="utf-8")
        assert not re.search(r"\bAny\b", text), module
        assert "type: ignore" not in text, module
