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
    yield tmp_path


def test_kept_index_answers_like_a_built_one(store: Path) -> None:
    snap = snapshot(Ecosystem.PYPI)
    assert lookalike_store.load(snap, store) is None
    built = lookalike.Index(snap)
    lookalike_store.save(built, store)
    [kept_file] = (store / "lookalike").glob("pypi-*.json")
    kept = lookalike_store.load(snap, store)
    assert kept is not None
    names = (
        "reqeusts",
        "python3-dateutil",
        "pythonkafka",
        "numpy-utils",
        "c1ick",
        "botaa3",
        "siix",
    )
    for name in names:
        assert kept.matches(name) == built.matches(name)
    assert kept.suggestions("pythn-dateutil") == built.suggestions("pythn-dateutil")
    kept_file.write_text("{not json", encoding="utf-8")
    assert lookalike_store.load(snap, store) is None  # unusable: rebuilt, never trusted
    state = built.state()
    state["alias_target"] = [10**9] * len(state["alias_target"])  # parses, but does not fit
    kept_file.write_text(json.dumps(state), encoding="utf-8")
    assert lookalike_store.load(snap, store) is None
    assert lookalike_store.obtain(Ecosystem.PYPI, store).matches("reqeusts")  # rebuilt, kept
    assert lookalike_store.load(snap, store) is not None


def test_nothing_is_kept_without_a_directory(tmp_path: Path) -> None:
    lookalike_store.save(lookalike.Index(snapshot(Ecosystem.NPM)), None)
    assert lookalike_store.obtain(Ecosystem.NPM, None).matches("lodahs")
    assert not list(tmp_path.iterdir())


def test_the_pipeline_loads_the_index_at_the_edge(tmp_path: Path) -> None:
    from depguard.model import Dependency, Location, Package
    from depguard.pipeline import lookalike_indexes

    def package(name: str) -> Package:
        dep = Dependency(Ecosystem.PYPI, name, Location("r.txt", 1), name)
        return Package(Ecosystem.PYPI, name, name, (dep,))

    assert lookalike_indexes([package("requests")], tmp_path)._indexes == {}  # popular only
    assert not (tmp_path / "lookalike").exists()
    found = lookalike_indexes([package("reqeusts")], tmp_path)
    assert found.matches(Ecosystem.PYPI, "reqeusts")[0].target.name == "requests"
    assert list((tmp_path / "lookalike").glob("pypi-*.json"))
