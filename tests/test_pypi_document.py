"""The fast reader of PyPI project documents gives exactly the facts a full parse gives."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from depguard.registries.pypi_document import _build, _walk_releases, parse_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pypi" / "json"


def slow(body: bytes, name: str):
    document = json.loads(body)
    return _build(document, _walk_releases(document["releases"]), name)


def test_every_recorded_document() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        body = path.read_bytes()
        assert parse_project(body, path.stem) == slow(body, path.stem), path.name


def test_compact_json_and_other_key_orders() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        document = json.loads(path.read_bytes())
        compact = json.dumps(document, separators=(",", ":")).encode()
        assert parse_project(compact, path.stem) == slow(compact, path.stem)
        reordered = json.dumps(dict(sorted(document.items()))).encode()
        assert parse_project(reordered, path.stem) == slow(reordered, path.stem)


# Strings that try to confuse a scanner: quotes, brackets, backslashes, lookalike keys.
tricky = st.lists(
    st.sampled_from(
        [
            *'ab1.[]{}":,\\ \n',
            '"urls"',
            '"releases": {',
            '], "x": [',
            '"yanked": true',
            "\u202e",
            "\x1b",
        ]
    ),
    max_size=12,
).map("".join)
files = st.lists(
    st.fixed_dictionaries(
        {
            "filename": tricky,
            "comment_text": st.one_of(st.none(), tricky),
            "upload_time_iso_8601": st.datetimes().map(lambda d: d.isoformat() + "Z"),
            "yanked": st.booleans(),
            "yanked_reason": st.one_of(st.none(), tricky),
            "digests": st.fixed_dictionaries({"sha256": tricky}),
        }
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(
    releases=st.dictionaries(
        st.one_of(st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2}){0,2}", fullmatch=True), tricky),
        files,
        max_size=6,
    ),
    summary=tricky,
    compact=st.booleans(),
)
def test_fast_path_equals_full_parse(releases, summary, compact) -> None:
    latest = next(iter(releases), "1.0")
    document = {
        "info": {
            "name": "demo",
            "summary": summary,
            "version": latest,
            "project_urls": {"releases": "https://x", "urls": summary},
        },
        "releases": releases,
        "urls": [{"filename": summary, "upload_time_iso_8601": "2020-01-01T00:00:00Z"}],
        "vulnerabilities": [],
        "last_serial": 1,
        "ownership": {"organization": None, "roles": [{"role": "Owner", "user": summary}]},
    }
    separators = (",", ":") if compact else (", ", ": ")
    body = json.dumps(document, separators=separators).encode()
    assert parse_project(body, "demo") == slow(body, "demo")
    assert parse_project(bytearray(body), "demo") == slow(body, "demo")
