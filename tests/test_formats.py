"""CI formats: SARIF against the official schema, GitHub workflow commands and Markdown against
expected text, and no format lets registry or manifest text inject."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from depguard.findings import CATALOG
from depguard.report.github import command, escape_data, escape_property
from depguard.report.markdown import code, text

from support import write

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "fixtures/schemas/sarif-schema-2.1.0.json").read_text("utf-8")
)
MIXED = "six\nqqqqzzzz-nothing-here>=1\nrequests==2.32.0\nnot a === requirement\n"


def validate_sarif(document: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(document)


def test_sarif_validates_and_locates_results(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", MIXED)
    result = depguard("check", "--format", "sarif")
    assert result.code == 1
    log = json.loads(result.out)
    validate_sarif(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "depguard" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(CATALOG)
    not_found = rules[0]
    assert not_found["shortDescription"]["text"] == CATALOG["not-found"].title
    assert not_found["help"]["text"] == CATALOG["not-found"].help
    assert not_found["defaultConfiguration"]["level"] == "error"
    assert rules[list(CATALOG).index("low-downloads")]["defaultConfiguration"]["level"] == "note"

    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"not-found", "yanked", "parse-error"}
    missing = by_rule["not-found"]
    assert missing["level"] == "error"
    assert rules[missing["ruleIndex"]]["id"] == "not-found"
    assert missing["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2},
    }
    assert "qqqqzzzz-nothing-here" in missing["message"]["text"]
    assert by_rule["yanked"]["level"] == "warning"
    error = by_rule["parse-error"]
    assert error["level"] == "error"
    assert error["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")


def test_sarif_uris_are_relative_to_the_repository_root(depguard, workdir: Path) -> None:
    (workdir / ".git").mkdir()
    write(workdir / "services/api/requirements.txt", "qqqqzzzz-nothing-here\n")
    log = json.loads(depguard("check", "services/api", "-f", "sarif").out)
    validate_sarif(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "services/api/requirements.txt"


def test_sarif_fingerprints_do_not_move_with_unrelated_lines(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", MIXED)
    before = json.loads(depguard("check", "-f", "sarif").out)["runs"][0]["results"]
    write(workdir / "requirements.txt", "# a comment\nidna\n\n" + MIXED)
    after = json.loads(depguard("check", "-f", "sarif").out)["runs"][0]["results"]

    def prints(results: list) -> dict:
        return {
            r["ruleId"]: (
                r["partialFingerprints"]["depguardFinding/v1"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        }

    old, new = prints(before), prints(after)
    for rule in ("not-found", "yanked"):
        assert old[rule][0] == new[rule][0]  # same fingerprint
        assert old[rule][1] + 3 == new[rule][1]  # though the line moved


def test_sarif_output_file_and_terminal_summary(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "qqqqzzzz-nothing-here\n")
    result = depguard("check", "-f", "sarif", "-o", "depguard.sarif")
    assert result.code == 1
    validate_sarif(json.loads((workdir / "depguard.sarif").read_text("utf-8")))
    assert "1 blocked" in result.out and "{" not in result.out


def test_sarif_of_a_clean_run_has_no_results(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\n")
    result = depguard("check", "-f", "sarif")
    assert result.code == 0
    log = json.loads(result.out)
    validate_sarif(log)
    assert log["runs"][0]["results"] == []


def test_workflow_command_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert (
        command("error", "x::y\nz", file="a,b.txt", line=3, title="t: u")
        == "::error file=a%2Cb.txt,line=3,title=t%3A u::x::y%0Az"
    )
    assert command("notice", "plain", file=None) == "::notice::plain"


GITHUB_EXPECTED = (
    "::error file=requirements.txt,line=2,title=depguard%3A block qqqqzzzz-nothing-here "
    "(not-found)::qqqqzzzz-nothing-here >=1 (PyPI, risk 100):%0A- does not exist on PyPI%0A"
    "Suggestion: {help}\n"
    "::warning file=requirements.txt,line=3,title=depguard%3A warn requests (yanked)::"
    "requests ==2.32.0 (PyPI, risk 10):%0A- version 2.32.0 is yanked: Yanked due to conflicts "
    "with CVE-2024-35195 mitigation%0ARegistry summary: Python HTTP for Humans.%0A"
    "Suggestion: {yanked}\n"
    "::error file=requirements.txt,line=4,title=depguard%3A parse-error::requirements.txt: "
    "Invalid requirement: : Expected semicolon (after name with no version specifier) or end\n"
    "depguard: 3 packages checked, 1 blocked, 1 warned, 1 allowed, 1 input error\n"
)


def test_github_annotations_expected_text(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", MIXED)
    result = depguard("check", "-f", "github")
    assert result.code == 1
    expected = GITHUB_EXPECTED.format(help=CATALOG["not-found"].help, yanked=CATALOG["yanked"].help)
    assert result.out == expected


MARKDOWN_EXPECTED = """\
### ❌ depguard: 1 blocked, 1 warned, 1 allowed, 1 input error

**Blocked**

- **`qqqqzzzz-nothing-here >=1`** (PyPI, risk 100) at `requirements.txt:2`: does not exist on PyPI
  ↳ The name is not registered on the package index. This is how hallucinated dependencies look \
before an attacker registers them \\("slopsquatting"\\). Fix the name \\(see the suggestions\\) or \
remove the dependency; never register or install a name you cannot account for.

**Warned**

- **`requests ==2.32.0`** (PyPI, risk 10) at `requirements.txt:3`: version 2.32.0 is yanked: \
Yanked due to conflicts with CVE-2024-35195 mitigation
  ↳ The pinned version was yanked by its maintainers \\(the reason is shown when given\\).
  ↳ registry: summary Python HTTP for Humans.; maintainers `Lukasa`, `graffatcolmingov`, \
`nateprewitt`

**Input errors** (the run fails; everything else was still checked)

- `requirements.txt:4`: Invalid requirement: : Expected semicolon \\(after name with no version \
specifier\\) or end
"""


def test_markdown_comment_expected_text(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", MIXED)
    result = depguard("check", "-f", "markdown")
    assert result.code == 1
    assert result.out == MARKDOWN_EXPECTED


def test_markdown_all_clear(depguard, workdir: Path) -> None:
    write(workdir / "requirements.txt", "six\nidna\n")
    result = depguard("check", "-f", "markdown")
    assert result.out == (
        "### ✅ depguard: 0 blocked, 0 warned, 2 allowed\n\n"
        "All 2 checked dependencies are allowed.\n"
    )


def test_markdown_escaping_helpers() -> None:
    assert text("<img src=x>") == "\\<img src=x\\>"
    assert text("[a](javascript:alert(1))") == "\\[a\\]\\(javascript:alert\\(1\\)\\)"
    assert text("ping @octocat and @org/team") == "ping `@octocat` and `@org/team`"
    assert text("**bold** _it_ `code` ~~s~~ | $x$") == (
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\| \\$x\\$"
    )
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"


# -- hostile registry and manifest text --------------------------------------------------------

HOSTILE_REQUIREMENTS = (
    "hostile-meta==9.9\n"
    "evil @ https://e.example/x.whl#\x1b[31m<script>@octocat](javascript:x)::error::\u202e\n"
    "bad\x1b]8;;javascript:alert(1)\x07 line \u202e<script>\n"
)
FORBIDDEN = ("\x1b", "\r", "\u202e", "\u202c", "\x07")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "markdown"])
def test_hostile_text_cannot_inject(depguard, workdir: Path, fmt: str) -> None:
    write(workdir / "requirements.txt", HOSTILE_REQUIREMENTS)
    result = depguard("check", "-f", fmt, "--verbose")
    out = result.out
    assert result.code == 1
    for bad in FORBIDDEN:
        assert bad not in out, (fmt, repr(bad))
    assert "injected" in out or fmt == "text"  # the registry summary did reach the report
    if fmt in ("json", "sarif"):
        document = json.loads(out)  # still valid JSON, the hostile text only a string value
        if fmt == "sarif":
            validate_sarif(document)
            for res in document["runs"][0]["results"]:
                assert re.search(r"(?<!\\)\]\(", res["message"]["text"]) is None
    if fmt == "github":
        lines = out.splitlines()
        assert len(lines) == 4  # two packages, one parse error, the summary: nothing injected
        prop = r"(file|line|title)=[^:,\r\n]*"
        command_line = re.compile(rf"^::(error|warning|notice)( {prop}(,{prop})*)?::")
        for line in lines[:-1]:
            assert command_line.match(line), line
        assert lines[-1].startswith("depguard: ")
    if fmt == "markdown":
        outside_code = re.sub(r"(`+)(?:(?!\1).)*?\1", "", out)
        assert re.search(r"(?<!\\)[<>]", outside_code) is None  # no raw HTML
        assert re.search(r"(?<!\\)\]\(", outside_code) is None  # no links
        assert re.search(r"(?<!\\)!\[", outside_code) is None  # no images
        assert re.search(r"(?<![\\`])@\w", outside_code) is None  # no mentions
        assert "`@octocat`" in out
