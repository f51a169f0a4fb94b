"""Against the real npm registry (``pytest -m live``): existence and structure only.

The registry reachable from CI may be a mirror whose ``time`` values are mirror dates and which
may omit ``time.created`` and ``maintainers``: nothing here asserts a date or a maintainer.
"""

from __future__ import annotations

import asyncio

import pytest

from depguard import endpoints
from depguard.model import LookupStatus, PackageInfo
from depguard.registries.http import HttpClient
from depguard.registries.npm import NpmClient

pytestmark = pytest.mark.live


def lookup(name: str, *, abbreviated: bool = False) -> tuple[LookupStatus, PackageInfo | None]:
    async def run() -> tuple[LookupStatus, PackageInfo | None]:
        async with HttpClient(timeout=30) as http:
            client = NpmClient(http, endpoints.NPM_REGISTRY, 96 * 1024 * 1024)
            found = await client.package(name, abbreviated=abbreviated)
            return found.status, found.info

    return asyncio.run(run())


@pytest.mark.parametrize("name", ["left-pad", "express", "@babel/core", "@types/node"])
def test_real_packages_exist_with_versions(name: str) -> None:
    status, info = lookup(name, abbreviated=name.startswith("@types"))
    assert status is LookupStatus.FOUND and info is not None
    assert info.latest_version in info.versions
    assert info.releases == len(info.versions) > 0
    assert info.dist_tags.get("latest") == info.latest_version


def test_install_scripts_are_seen() -> None:
    status, info = lookup("esbuild")
    assert status is LookupStatus.FOUND and info is not None
    assert info.version_install_scripts  # esbuild's postinstall picks its platform binary


def test_unknown_name_is_not_found() -> None:
    status, info = lookup("depguard-surely-unregistered-name-4f9c6f0")
    assert status is LookupStatus.NOT_FOUND and info is None
