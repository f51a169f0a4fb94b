"""How long reading an npm package document takes: the partial reader against a full parse.

    python benchmarks/npm_document.py [FILE ...]

Without arguments it builds a large synthetic packument (2,000 versions in the real format of
fixtures/npm/packument/evp_bytestokey.json, ~10 MB) so the figure does not need the network.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from depguard.registries import npm_document
from depguard.registries.npm_document import parse_packument

HERE = Path(__file__).resolve().parents[1]


def synthetic(count: int = 2000) -> bytes:
    base = json.loads((HERE / "fixtures/npm/packument/evp_bytestokey.json").read_bytes())
    template = next(iter(base["versions"].values()))
    versions = {}
    for index in range(count):
        version = f"{index // 100}.{index % 100}.0"
        manifest = dict(template, version=version, readme="x" * 4000)
        if index % 250 == 0:
            manifest["scripts"] = {"postinstall": "node setup.js"}
        versions[version] = manifest
    base["versions"] = versions
    base["dist-tags"] = {"latest": version}
    base["time"] = dict.fromkeys(versions, "2020-01-01T00:00:00.000Z")
    return json.dumps(base).encode()


def timed(body: bytes, partial: bool, rounds: int = 5) -> float:
    original = npm_document._split_versions
    if not partial:
        npm_document._split_versions = lambda text: None  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        for _ in range(rounds):
            parse_packument(body, "bench")
        return (time.perf_counter() - start) / rounds
    finally:
        npm_document._split_versions = original


def main(paths: list[str]) -> None:
    bodies = [(p, Path(p).read_bytes()) for p in paths] or [("synthetic", synthetic())]
    for label, body in bodies:
        partial, full = timed(body, True), timed(body, False)
        print(
            f"{label}: {len(body) / 1e6:.1f} MB, partial {partial * 1000:.0f} ms, "
            f"full parse {full * 1000:.0f} ms ({full / partial:.1f}x)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
