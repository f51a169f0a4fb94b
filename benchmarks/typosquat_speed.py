"""How fast the look-alike index is built and answers, against the full bundled snapshots.

    python benchmarks/typosquat_speed.py

Prints, for PyPI and npm: the time to build the index from the snapshot, to load it back from
the cache directory (a JSON file the first run writes), and how many names a second it judges
on one core (``matches`` for every name, no cache), for names that are not popular (the ones
that reach the index): a recorded sample of the PyPI long tail, the known typosquats of
benchmarks/quality, and typo variants of popular names.
Target (issue 3): at least 20,000 names a second; build well under 150 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from depguard import lookalike, lookalike_store  # noqa: E402
from depguard.model import Ecosystem  # noqa: E402
from depguard.names import normalize  # noqa: E402
from depguard.popularity import snapshot  # noqa: E402

QUALITY = HERE / "quality" / "data"
ROUNDS = 5


def names_for(ecosystem: Ecosystem) -> list[str]:
    snap = snapshot(ecosystem)
    names: list[str] = []
    if ecosystem is Ecosystem.PYPI:
        for line in (QUALITY / "pypi-longtail.tsv").open(encoding="utf-8"):
            if not line.startswith(("#", "name\t")):
                names.append(line.split("\t", 1)[0])
    for line in (QUALITY / "squats.csv").open(encoding="utf-8"):
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == ecosystem.value:
            names.append(fields[0])
    rng = random.Random(3)
    popular = list(snap.entries)
    while len(names) < 6000:  # typo variants of popular names: the hard case for the index
        word = rng.choice(popular)
        at = rng.randrange(len(word))
        names.append(word[:at] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[at + 1 :])
    keys = [normalize(ecosystem, n) for n in names]
    return [k for k in keys if k not in snap]


def median_ms(action: object, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> int:
    print(f"look-alike index, median of {ROUNDS} runs (one core)")
    for ecosystem in (Ecosystem.PYPI, Ecosystem.NPM):
        snap = snapshot(ecosystem)
        build = median_ms(lambda snap=snap: lookalike.Index(snap))
        with tempfile.TemporaryDirectory() as directory:
            lookalike_store.save(lookalike.Index(snap), Path(directory))
            load = median_ms(lambda snap=snap: lookalike_store.load(snap, Path(directory)))
        idx = lookalike.Index(snap)
        names = names_for(ecosystem)
        flagged = sum(1 for n in names if idx.matches(n))
        start = time.process_time()
        for _ in range(3):
            for name in names:
                idx.matches(name)
        elapsed = time.process_time() - start
        rate = 3 * len(names) / elapsed
        print(
            f"  {ecosystem.index_label:<5} {len(snap):,} popular names: build {build:.0f} ms, "
            f"load from cache {load:.0f} ms; {rate:,.0f} names/s "
            f"({len(names):,} names, {flagged:,} matched)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
