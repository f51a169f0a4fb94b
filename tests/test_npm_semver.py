"""npm semver ranges and npm's choice of version.

``data/node-semver-satisfies.json`` holds node-semver's own answers (``semver.satisfies`` of
the semver copy bundled with npm 10, run once with Node 20) for every range form depguard
reads: the table is the reference, not our reading of the docs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depguard.npm_semver import (
    exact_version,
    is_range,
    max_satisfying,
    parse_version,
    pick,
    satisfies,
)

TABLE = json.loads((Path(__file__).parent / "data" / "node-semver-satisfies.json").read_text())


@pytest.mark.parametrize("range_text", sorted(TABLE["expected"]))
def test_satisfies_agrees_with_node_semver(range_text: str) -> None:
    got = [v for v in TABLE["versions"] if satisfies(v, range_text)]
    assert got == TABLE["expected"][range_text]


def test_prerelease_ordering() -> None:
    order = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
    ]  # the SemVer spec example
    keys = [parse_version(v).key for v in order]  # type: ignore[union-attr]
    assert keys == sorted(keys)


def test_tags_are_not_ranges_and_bad_text_is_neither() -> None:
    assert not is_range("latest")
    assert not is_range("next")
    assert is_range("")
    assert is_range("1.x || >=2.5.0 || 5.0.0 - 7.2.3")
    assert parse_version("1.2") is None
    assert exact_version("=1.2.3") == "1.2.3"
    assert exact_version("^1.2.3") is None


def test_max_satisfying() -> None:
    assert max_satisfying(["1.0.0", "1.5.0", "2.0.0"], "^1") == "1.5.0"
    assert max_satisfying(["1.0.0"], "^2") is None
    assert max_satisfying(["1.0.0"], "not a range at all !") is None


def test_pick_follows_npm_pick_manifest() -> None:
    versions = ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "3.0.0-beta.1"]
    tags = {"latest": "1.1.0", "next": "3.0.0-beta.1"}
    # dist-tags.latest wins when it satisfies the range, even over a higher match
    assert pick("^1.0.0", versions, tags) == "1.1.0"
    # otherwise the highest satisfying version
    assert pick(">=1.2.0", versions, tags) == "2.0.0"
    # a tag names its version; an unknown tag names none
    assert pick("next", versions, tags) == "3.0.0-beta.1"
    assert pick("nope", versions, tags) is None
    # deprecated versions are passed over while another satisfies the range
    assert pick(">=1.2.0", versions, tags, {"2.0.0": "broken"}) == "1.2.0"
    assert pick("2", versions, tags, {"2.0.0": "broken"}) == "2.0.0"
    assert pick("", versions, tags) == "1.1.0"
