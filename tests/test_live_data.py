"""The data tooling against the real registries (run with `pytest -m live`).

Only existence and structure are asserted: versions, dates and counts change upstream.
"""

from __future__ import annotations

import asyncio

import pytest

from depguard.data.upstream import crawl, npm_high_impact
from depguard.registries.http import HttpClient

pytestmark = pytest.mark.live


def test_a_wheel_listing_from_the_real_file_host() -> None:
    async def go() -> list[crawl.ProjectRecord]:
        return await crawl.crawl(["pyyaml", "protobuf", "sklearn"], crawl.CrawlOptions())

    records = {r.project: r for r in asyncio.run(go())}
    assert records["pyyaml"].kind == "wheel"
    assert "yaml" in records["pyyaml"].provided().modules
    protobuf = records["protobuf"].provided()
    assert "google.protobuf" in protobuf.modules and "google" in protobuf.namespaces
    assert records["sklearn"].kind in ("sdist", "wheel")
    assert all(r.fetched < 4 * 1024 * 1024 for r in records.values())


def test_the_npm_high_impact_package_has_its_lists() -> None:
    from depguard import endpoints

    async def go() -> tuple[npm_high_impact.Release, bytes]:
        async with HttpClient(concurrency=2, timeout=60.0) as http:
            return await npm_high_impact.fetch(http, endpoints.NPM_REGISTRY, None)

    release, tarball = asyncio.run(go())
    lists = npm_high_impact.read_tarball(tarball)
    assert lists.version == release.version
    assert len(lists.top) > 10_000
    assert lists.download <= set(lists.top) and lists.dependent <= set(lists.top)
