"""Which of the 15,000 most-downloaded PyPI distributions does the import-name signal flag?

    python benchmarks/import_name_audit.py [--all]

Every name in the popularity snapshot is requested as a dependency (offline, so only the
name-based checks run) and the import-name findings are counted. Each flagged name is a
popular distribution, so each is either a real import-name confusion (bs4, sklearn, jwt,
attr, serial: names people install by mistake) or a false positive to look at. Prints the
count and the flagged names with what the finding suggests (the first 40 unless --all).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

from depguard.model import (
    Dependency,
    Downloads,
    Ecosystem,
    Evidence,
    Location,
    Lookup,
    LookupStatus,
    Package,
)
from depguard.names import normalize
from depguard.popularity import snapshot
from depguard.signals import Context
from depguard.signals import import_name as signal


def main(show_all: bool) -> None:
    context = Context(now=datetime.now(timezone.utc))
    popular = snapshot(Ecosystem.PYPI)
    flagged = []
    started = time.perf_counter()
    for entry in popular:
        key = normalize(Ecosystem.PYPI, entry.name)
        dep = Dependency(Ecosystem.PYPI, entry.name, Location("audit", 1), key)
        package = Package(Ecosystem.PYPI, entry.name, key, (dep,))
        evidence = Evidence(package, Lookup(LookupStatus.OFFLINE), Downloads.unknown())
        for finding in signal.check(evidence, context):
            target = finding.evidence.get("suggestion") or "namespace"
            flagged.append((entry.rank, entry.name, str(target)))
    elapsed = time.perf_counter() - started
    print(f"{len(flagged)} of {len(popular)} popular distribution names flagged")
    each = elapsed / len(popular) * 1e6
    print(f"(the signal over every name: {elapsed * 1000:.0f} ms, {each:.1f} us a name)")
    for rank, name, target in sorted(flagged)[: None if show_all else 40]:
        print(f"  #{rank:<6} {name:<36} -> {target}")


if __name__ == "__main__":
    main("--all" in sys.argv)
