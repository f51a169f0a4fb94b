"""The look-alike index kept in the cache directory: same answers, rebuilt when unusable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from depguard import lookalike, lookalike_store
from depguard.model import Ecosystem
from depguard.popularity import snapshot


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    lookalike_store.use(tmp_path)
    yield tmp_path
    lookalike_store.use(None)


def test_kept_index_answers_like_a_built_one(store: Path) -> None:
    snap = snapshot(Ecosystem.PYPI)
    assert lookalike_store.load(snap) is None
    built = lookalike.Index(snap)
    lookalike_store.save(built)
    [kept_file] = (store / "lookalike").glob("pypi-*.json")
    kept = lookalike_store.load(snap)
    assert kept is not None
    for name in ("reqeusts", "python3-dateutil", "pythonkafka", "numpy-utils", "c1ick", "botaa3"):
        assert kept.matches(name) == built.matches(name)
    assert kept.suggestions("pythn-dateutil") == built.suggestions("pythn-dateutil")
    kept_file.write_text("{not json", encoding="utf-8")
    assert lookalike_store.load(snap) is None  # unusable: rebuilt, never trusted
    state = built.state()
    state["alias_target"] = [10**9] * len(state["alias_target"])  # parses, but does not fit
    kept_file.write_text(json.dumps(state), encoding="utf-8")
    assert lookalike_store.load(snap) is None


def test_nothing_is_kept_without_a_directory(tmp_path: Path) -> None:
    lookalike_store.use(None)
    lookalike_store.save(lookalike.Index(snapshot(Ecosystem.NPM)))
    assert not list(tmp_path.iterdir())
