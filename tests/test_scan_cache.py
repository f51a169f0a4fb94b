"""What each source file imports is remembered by content: unchanged files are not parsed again."""

from __future__ import annotations

from pathlib import Path

import pytest

from depguard.cache import local_cache
from depguard.sources import python_code

from support import write


def scan(tmp_path: Path, files: list[Path]) -> list[python_code.FileImports]:
    cache = local_cache(tmp_path / "cache")
    try:
        return python_code.scan_files([(f, f.name) for f in files], cache)
    finally:
        cache.close()


def test_unchanged_files_come_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    a = write(
        tmp_path / "a.py", "import six\ntry:\n    import ujson\nexcept ImportError:\n    pass\n"
    )
    b = write(tmp_path / "b.py", "import flask\ndef broken(:\n")
    first = scan(tmp_path, [a, b])
    parsed: list[str] = []
    original = python_code.scan_file

    def counting(path: Path, display: str) -> python_code.FileImports:
        parsed.append(display)
        return original(path, display)

    monkeypatch.setattr(python_code, "scan_file", counting)
    write(tmp_path / "c.py", "import idna\n")
    copy = write(tmp_path / "moved" / "a_copy.py", a.read_text())  # same bytes, new place
    second = scan(tmp_path, [a, b, tmp_path / "c.py", copy])
    assert parsed == ["c.py"]  # only the new content is parsed
    assert second[:2] == first  # syntax errors are remembered too
    assert second[3].refs == first[0].refs and second[3].path == "a_copy.py"
    write(tmp_path / "a.py", "import requests\n")
    changed = scan(tmp_path, [a])
    assert [r.module for r in changed[0].refs] == ["requests"]


def test_damaged_entries_are_parsed_again(tmp_path: Path) -> None:
    a = write(tmp_path / "a.py", "import six\n")
    scan(tmp_path, [a])
    import diskcache

    with diskcache.Cache(str(tmp_path / "cache")) as raw:
        for key in list(raw.iterkeys()):
            raw.set(
                key,
                b'{"fetched_at": "2026-01-01T00:00:00+00:00", "ttl": 1e9, '
                b'"value": {"refs": [["x"]]}}',
            )
    assert [r.module for r in scan(tmp_path, [a])[0].refs] == ["six"]


@pytest.mark.parametrize("with_cache", [True, False])
def test_check_reads_the_same_either_way(depguard, workdir: Path, with_cache: bool) -> None:
    write(workdir / "app.py", "import six\nimport flask\n")
    args = ["check", ".", "--offline", "-f", "json"] + ([] if with_cache else ["--no-cache"])
    first = depguard(*args).json
    second = depguard(*args).json
    assert [p["normalized"] for p in first["packages"]] == ["six", "flask"]
    assert [p["locations"] for p in first["packages"]] == [
        p["locations"] for p in second["packages"]
    ]
