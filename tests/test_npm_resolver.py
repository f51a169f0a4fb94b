"""npm resolution against the loopback registry: packuments in the registry's format."""

from __future__ import annotations

import json
from pathlib import Path

from depguard.cache import local_cache
from depguard.config import Settings
from depguard.model import Location
from depguard.resolver import Resolution, Root
from depguard.resolver.npm import resolve_npm
from depguard.timeutil import utcnow

from support.registry_server import Answer, RegistryServer


def packument(name: str, latest: str, versions: dict[str, dict[str, object]]) -> Answer:
    document = {
        "name": name,
        "dist-tags": {"latest": latest},
        "modified": "2025-01-01T00:00:00.000Z",
        "versions": {
            v: {"name": name, "version": v, "dist": {"tarball": f"x/{name}-{v}.tgz"}, **extra}
            for v, extra in versions.items()
        },
    }
    return Answer(200, json.dumps(document).encode())


def resolve(registry: RegistryServer, tmp_path: Path, *roots: tuple[str, str]) -> Resolution:
    settings = Settings(npm_registry=registry.npm_registry, retries=0, timeout=5)
    cache = local_cache(tmp_path / "cache")
    try:
        return resolve_npm(
            [
                Root(spec, name, Location("package.json", n + 2))
                for n, (name, spec) in enumerate(roots)
            ],
            settings,
            cache,
            now=utcnow(),
        )
    finally:
        cache.close()


def test_ranges_peers_optional_aliases_and_chains(registry: RegistryServer, tmp_path: Path) -> None:
    routes = registry.routes
    routes["/npm/web"] = packument(
        "web",
        "2.0.0",
        {
            "1.0.0": {},
            "2.0.0": {
                "dependencies": {"util": "^1.5.0", "shim": "npm:real-shim@~3.0.0"},
                "optionalDependencies": {"fsevents-ish": "*"},
                "peerDependencies": {"react-ish": ">=1", "maybe": "*"},
                "peerDependenciesMeta": {"maybe": {"optional": True}},
            },
        },
    )
    routes["/npm/util"] = packument(
        "util",
        "1.5.0",
        {"1.1.0": {}, "1.5.0": {"dependencies": {"gone-pkg-xyz": "^1"}}, "2.0.0-beta.1": {}},
    )
    routes["/npm/real-shim"] = packument("real-shim", "3.1.0", {"3.0.4": {}, "3.1.0": {}})
    routes["/npm/fsevents-ish"] = packument("fsevents-ish", "1.0.0", {"1.0.0": {}})
    routes["/npm/react-ish"] = packument("react-ish", "18.0.0", {"18.0.0": {}})
    resolution = resolve(registry, tmp_path, ("web", "^2"), ("util", "1.1.0"))
    found = {(p.name, p.version): p for p in resolution.packages}
    assert set(found) == {
        ("web", "2.0.0"),
        ("util", "1.1.0"),
        ("util", "1.5.0"),
        ("real-shim", "3.0.4"),
        ("fsevents-ish", "1.0.0"),
        ("react-ish", "18.0.0"),
        ("gone-pkg-xyz", None),
    }
    assert found[("util", "1.1.0")].direct
    assert found[("util", "1.5.0")].via == ("web",)
    gone = found[("gone-pkg-xyz", None)]
    assert gone.missing and gone.via == ("web", "util")
    assert not resolution.errors


def test_unsatisfiable_range_and_wrong_document_are_errors(
    registry: RegistryServer, tmp_path: Path
) -> None:
    registry.routes["/npm/app"] = packument(
        "app", "1.0.0", {"1.0.0": {"dependencies": {"lib": "^9.0.0", "liar": "1"}}}
    )
    registry.routes["/npm/lib"] = packument("lib", "1.0.0", {"1.0.0": {}})
    registry.routes["/npm/liar"] = packument("someone-else", "1.0.0", {"1.0.0": {}})
    resolution = resolve(registry, tmp_path, ("app", "*"))
    messages = [e.message for e in resolution.errors]
    assert any(
        "no version of lib satisfies '^9.0.0' (required by app@1.0.0)" in m for m in messages
    )
    assert any("liar" in m and "another package" in m for m in messages)
    assert {p.name for p in resolution.packages} == {"app", "liar"}


def test_a_copy_already_in_the_tree_is_reused_as_npm_dedupes(
    registry: RegistryServer, tmp_path: Path
) -> None:
    registry.routes["/npm/app"] = packument(
        "app", "1.0.0", {"1.0.0": {"dependencies": {"lib": "^1.0.0"}}}
    )
    registry.routes["/npm/lib"] = packument("lib", "1.4.0", {"1.2.0": {}, "1.4.0": {}})
    resolution = resolve(registry, tmp_path, ("lib", "1.2.0"), ("app", "*"))
    assert {(p.name, p.version) for p in resolution.packages} == {
        ("lib", "1.2.0"),
        ("app", "1.0.0"),
    }
