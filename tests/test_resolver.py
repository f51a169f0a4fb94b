"""The Python resolver against the loopback index: recorded real pages and core-metadata files
(agreeing with what pip installed from the live index), and made-up projects for the cases
that matter (cooldown, sdists, missing and wrong projects, conflicts, cycles, markers)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from depguard.cache import local_cache
from depguard.config import Settings
from depguard.model import Location
from depguard.resolver import Resolution, Root
from depguard.resolver.pypi import resolve_python
from depguard.resolver.target import Target, TargetError
from depguard.timeutil import parse_timestamp, utcnow

from support.registry_server import FIXTURES, RegistryServer
from support.simple_index import Dist, SimpleIndex

TARGET = Target.parse("3.11", "linux-x86_64")


def run(
    registry: RegistryServer,
    tmp_path: Path,
    *requirements: str,
    target: Target = TARGET,
    hours: int = 48,
    group: str = "requirements.txt",
) -> Resolution:
    settings = Settings(index_url=registry.index_url, retries=0, timeout=5)
    cache = local_cache(tmp_path / "cache")
    roots = [
        Root(
            text.removeprefix("-c "),
            text.removeprefix("-c ").split("[")[0].split("=")[0].split("<")[0].split(">")[0],
            Location(group, n + 1),
            constraint=text.startswith("-c "),
            group=group,
        )
        for n, text in enumerate(requirements)
    ]
    try:
        return resolve_python(
            roots,
            settings,
            cache,
            target=target,
            now=utcnow(),
            min_release_age=timedelta(hours=hours),
        )
    finally:
        cache.close()


def versions(resolution: Resolution) -> dict[str, str | None]:
    return {p.normalized: p.version for p in resolution.packages}


def index(registry: RegistryServer, *dists: Dist, advertise: bool = True) -> SimpleIndex:
    made = SimpleIndex(registry.base, advertise=advertise).add(*dists)
    registry.handler = made.serve
    return made


@pytest.mark.parametrize("requirement", ["fastapi", "requests"])
def test_recorded_resolution_agrees_with_pip(
    registry: RegistryServer, tmp_path: Path, requirement: str
) -> None:
    """Pages and metadata recorded from the live index; pip's own answer recorded beside."""
    recorded = json.loads((FIXTURES / "pypi/resolutions" / f"{requirement}.json").read_text())
    target = Target.parse(recorded["python"], recorded["platform"])
    resolution = run(registry, tmp_path, requirement, target=target, hours=0)
    assert not resolution.errors
    expected = {name.lower().replace("_", "-"): version for name, version in recorded["pip"]}
    assert versions(resolution) == expected
    direct = [p.normalized for p in resolution.packages if p.direct]
    assert direct == [requirement]
    for package in resolution.packages:
        if not package.direct:
            assert package.via[0] == requirement
        assert package.dependencies_unknown is None
        assert package.uploaded is not None  # the index's real upload time of the file


def test_warm_resolution_asks_nothing(registry: RegistryServer, tmp_path: Path) -> None:
    first = run(registry, tmp_path, "fastapi", hours=0)
    asked = len(registry.requests)
    assert asked >= 2 * len(first.packages) - 2  # a page and a metadata file per package
    second = run(registry, tmp_path, "fastapi", hours=0)
    assert len(registry.requests) == asked
    assert second.requests == 0
    assert versions(second) == versions(first)


def test_chain_names_the_path_to_a_missing_package(
    registry: RegistryServer, tmp_path: Path
) -> None:
    index(
        registry,
        Dist("app", "1.0", ("lib>=1",)),
        Dist("lib", "1.2", ("ghost-package-xyz>=0.1", "helper")),
        Dist("helper", "0.3"),
    )
    resolution = run(registry, tmp_path, "app")
    found = {p.normalized: p for p in resolution.packages}
    ghost = found["ghost-package-xyz"]
    assert ghost.missing and ghost.version is None
    assert ghost.via == ("app", "lib")
    assert found["helper"].via == ("app", "lib")
    assert found["lib"].requires == ("ghost-package-xyz", "helper")
    assert found["app"].direct and found["app"].location == Location("requirements.txt", 1)


def test_cooldown_prefers_the_newest_settled_version(
    registry: RegistryServer, tmp_path: Path
) -> None:
    fresh = (utcnow() - timedelta(hours=3)).isoformat().replace("+00:00", "Z")
    index(
        registry,
        Dist("lib", "1.9", uploaded="2025-01-01T00:00:00Z"),
        Dist("lib", "2.0", uploaded=fresh),
    )
    held = run(registry, tmp_path / "a", "lib")
    assert versions(held) == {"lib": "1.9"}
    assert held.packages[0].held_back == "2.0"
    off = run(registry, tmp_path / "b", "lib", hours=0)
    assert versions(off) == {"lib": "2.0"}
    pinned = run(registry, tmp_path / "c", "lib==2.0")
    assert versions(pinned) == {"lib": "2.0"}
    assert pinned.packages[0].uploaded == parse_timestamp(fresh)


def test_sdist_only_dependencies_are_unknown_never_guessed(
    registry: RegistryServer, tmp_path: Path
) -> None:
    index(registry, Dist("app", "1.0", ("old-lib",)), Dist("old-lib", "0.5", wheel=False))
    resolution = run(registry, tmp_path, "app")
    old = next(p for p in resolution.packages if p.normalized == "old-lib")
    assert old.version == "0.5"
    assert old.dependencies_unknown is not None
    assert "without building" in old.dependencies_unknown
    assert not any(r.endswith(".tar.gz") for r in registry.requests)  # never downloaded


def test_metadata_read_even_when_the_index_does_not_advertise_it(
    registry: RegistryServer, tmp_path: Path
) -> None:
    index(registry, Dist("app", "1.0", ("lib",)), Dist("lib", "1.0"), advertise=False)
    assert versions(run(registry, tmp_path, "app")) == {"app": "1.0", "lib": "1.0"}


def test_wrong_project_answers_are_problems_for_that_package(
    registry: RegistryServer, tmp_path: Path
) -> None:
    made = index(
        registry,
        Dist("app", "1.0", ("lib", "other")),
        Dist("lib", "1.0"),
        Dist("other", "2.0", metadata_name="something-else"),
    )
    made.page_names["lib"] = "not-lib"
    resolution = run(registry, tmp_path, "app")
    found = {p.normalized: p for p in resolution.packages}
    assert found["lib"].problem is not None and "another project" in found["lib"].problem
    assert not found["lib"].missing
    other = found["other"]
    assert other.dependencies_unknown is not None
    assert "another project" in other.dependencies_unknown
    assert found["app"].version == "1.0"


def test_impossible_constraints_are_an_error_and_the_rest_still_resolves(
    registry: RegistryServer, tmp_path: Path
) -> None:
    index(
        registry,
        Dist("a", "1.0", ("shared<2",)),
        Dist("b", "1.0", ("shared>=2",)),
        Dist("shared", "1.5"),
        Dist("shared", "2.5"),
        Dist("c", "3.0"),
    )
    resolution = run(registry, tmp_path, "a", "b", "c")
    assert len(resolution.errors) == 1
    message = resolution.errors[0].message
    assert "shared" in message and "a 1.0" in message and "b 1.0" in message
    assert resolution.errors[0].path == "requirements.txt"
    found = versions(resolution)
    assert found["c"] == "3.0"
    assert {"a", "b", "shared"} <= set(found)


def test_a_cycle_resolves_and_is_noted(registry: RegistryServer, tmp_path: Path) -> None:
    index(registry, Dist("ping", "1.0", ("pong",)), Dist("pong", "1.0", ("ping",)))
    resolution = run(registry, tmp_path, "ping")
    assert versions(resolution) == {"ping": "1.0", "pong": "1.0"}
    assert any("cycle" in n and "ping" in n for n in resolution.notices)
    assert not resolution.errors


def test_markers_python_version_extras_and_constraints(
    registry: RegistryServer, tmp_path: Path
) -> None:
    index(
        registry,
        Dist(
            "app",
            "1.0",
            (
                "legacy ; python_version < '3.8'",
                "winonly ; sys_platform == 'win32'",
                "extra-dep ; extra == 'fast'",
                "lib",
            ),
        ),
        Dist("lib", "1.0"),
        Dist("lib", "2.0", requires_python=">=3.12"),
        Dist("lib", "2.1", yanked=True),
        Dist("extra-dep", "1.0"),
        Dist("legacy", "1.0"),
        Dist("winonly", "1.0"),
        Dist("pinned", "1.0"),
        Dist("pinned", "1.5"),
    )
    plain = run(registry, tmp_path / "a", "app")
    assert versions(plain) == {"app": "1.0", "lib": "1.0"}
    newer = run(registry, tmp_path / "b", "app", target=Target.parse("3.12", "linux"))
    assert versions(newer)["lib"] == "2.0"
    windows = run(registry, tmp_path / "c", "app[fast]", target=Target.parse("3.11", "windows"))
    assert set(versions(windows)) == {"app", "lib", "extra-dep", "winonly"}
    constrained = run(registry, tmp_path / "d", "pinned", "-c pinned<1.5")
    assert versions(constrained) == {"pinned": "1.0"}


def test_requests_in_flight_stay_bounded(registry: RegistryServer, tmp_path: Path) -> None:
    leaves = [Dist(f"leaf{n}", "1.0") for n in range(40)]
    index(registry, Dist("wide", "1.0", tuple(d.name for d in leaves)), *leaves)
    registry.latency = 0.05
    resolution = run(registry, tmp_path, "wide")
    assert len(resolution.packages) == 41
    assert registry.max_in_flight <= 16


def test_targets_are_checked() -> None:
    with pytest.raises(TargetError):
        Target.parse("2.7", None)
    with pytest.raises(TargetError):
        Target.parse("3.11", "solaris")
    assert Target.parse("3.9", "macos").environment()["sys_platform"] == "darwin"


def test_internal_names_are_resolved_on_the_private_index_only(
    registry: RegistryServer, tmp_path: Path
) -> None:
    """Dependency confusion: the public index has a higher acme-lib; the private one is used."""
    from depguard.config import indexes_of

    public = SimpleIndex(registry.base).add(
        Dist("acme-app", "9.0"), Dist("acme-lib", "99.0"), Dist("six", "1.17.0")
    )
    private = SimpleIndex(f"{registry.base}/private").add(
        Dist("acme-app", "1.0", ("acme-lib>=1", "six")), Dist("acme-lib", "1.2")
    )

    def serve(info):  # type: ignore[no-untyped-def]
        if info.path.startswith("/private/"):
            path = info.path.removeprefix("/private")
            if path.startswith("/packages/"):
                return private.serve(replace_path(info, path))
            name = path.strip("/")
            if name in private.projects():
                return private.serve(replace_path(info, f"/simple/{name}/"))
            return None
        return public.serve(info)

    registry.handler = serve
    settings = Settings(
        index_url=registry.index_url,
        private=("acme-*",),
        private_index_url=f"{registry.base}/private",
        retries=0,
    )
    cache = local_cache(tmp_path / "cache")
    try:
        resolution = resolve_python(
            [Root("acme-app", "acme-app", Location("requirements.txt", 1))],
            settings,
            cache,
            target=TARGET,
            now=utcnow(),
            min_release_age=timedelta(0),
            indexes=indexes_of(settings),
        )
    finally:
        cache.close()
    assert versions(resolution) == {"acme-app": "1.0", "acme-lib": "1.2", "six": "1.17.0"}
    assert not any(r.startswith("/simple/acme") for r in registry.requests)


def replace_path(info, path: str):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(info, path=path)
