"""Record the registry facts the quality benchmark judges, from the live index (derived facts
only: ``PackageInfo.to_json()``, never whole documents).

    python benchmarks/quality/record.py [--per-set 40] [--seed 20261202]

Draws two samples from the package list of the environment (``pypi.tsv``: name, version,
month of the newest release, rank among the 15,000 most downloaded, summary):

* placeholders: summaries that declare a placeholder, reserved name, research or
  dependency-confusion holding package (the shape researchers register hallucinated names in);
* young legitimate long-tail packages: newest release in the last six months of the list,
  outside the 15,000 most downloaded, a summary that declares nothing of the kind.

Each name is asked once (four at a time) and written to data/recorded.jsonl with its set.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from depguard import endpoints  # noqa: E402
from depguard.registries.pypi_document import DocumentError, parse_project  # noqa: E402

LIST = Path("/work/.library/env/packages/pypi.tsv")
PLACEHOLDER = re.compile(
    r"slopsquat|placeholder|name reserv|reserved (?:name|package|placeholder|for)"
    r"|security holding|dependency confusion|security research",
    re.IGNORECASE,
)
YOUNG_MONTHS = ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11")


def draw(per_set: int, seed: int) -> list[tuple[str, str]]:
    placeholders, young = [], []
    with LIST.open(encoding="utf-8") as rows:
        next(rows)
        for line in rows:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 5 or fields[3]:
                continue
            name, month, summary = fields[0], fields[2], fields[4]
            if PLACEHOLDER.search(summary):
                placeholders.append(name)
            elif month in YOUNG_MONTHS and len(summary) > 20:
                young.append(name)
    rng = random.Random(seed)
    chosen = [("placeholder", n) for n in rng.sample(placeholders, per_set)]
    chosen += [("young-legit", n) for n in rng.sample(young, per_set)]
    return chosen


async def fetch(chosen: list[tuple[str, str]]) -> list[dict[str, object]]:
    import httpx

    gate = asyncio.Semaphore(4)
    out: list[dict[str, object]] = []
    async with httpx.AsyncClient(timeout=30) as client:

        async def one(kind: str, name: str) -> None:
            async with gate:
                response = await client.get(f"{endpoints.PYPI_INDEX}/pypi/{name}/json")
            if response.status_code != 200:
                return
            try:
                info = parse_project(response.content, name)
            except DocumentError:
                return
            out.append({"set": kind, "name": name, "info": info.to_json()})

        await asyncio.gather(*(one(kind, name) for kind, name in chosen))
    return sorted(out, key=lambda r: (str(r["set"]), str(r["name"])))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-set", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    records = asyncio.run(fetch(draw(args.per_set, args.seed)))
    target = HERE / "data" / "recorded.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, sort_keys=True) + "\n")
    print(f"{len(records)} packages recorded in {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
