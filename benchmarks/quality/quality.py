"""How well the risk engine tells squats and hallucinations from legitimate packages.

    python benchmarks/quality/quality.py                        # figures from the recorded data
    python benchmarks/quality/quality.py --refresh-from LIST    # redraw the long-tail sample

Runs offline and is repeatable: every name set is recorded in data/ (sources in README.md), and
each package is judged by depguard's own signals and policy (default settings) at the recording
date. Three situations are measured for the attack sets:

* name only: the registry could not be asked (``--offline``, nothing cached);
* registered: the name exists, registered three days ago by a new account with one release, no
  repository and no downloads figure (what a squatter's upload looks like);
* missing: the registry answers 404 (most known squats were taken down; hallucinations were never
  registered).

``--refresh-from LIST`` draws a new long-tail sample from a package listing of the index, a TSV
with the columns ``name, version, month, rank, summary`` (month of the latest release, rank among
the 15,000 most downloaded or empty), and records it in data/pypi-longtail.tsv.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from depguard import endpoints  # noqa: E402
from depguard.model import (  # noqa: E402
    Ecosystem,
    LookupStatus,
    PackageInfo,
    PackageReport,
    Verdict,
)
from depguard.names import normalize  # noqa: E402
from depguard.popularity import snapshot  # noqa: E402

from support.evidence import evidence, report  # noqa: E402

TOP = 5000
SAMPLE = 3000
SEED = 20261124
NAME_SIGNALS = ("typosquat", "name-pattern")


@dataclass(frozen=True)
class Squat:
    name: str
    target: str
    ecosystem: Ecosystem
    source: str


def load_squats() -> list[Squat]:
    lines = (line for line in (DATA / "typosquats.csv").open(encoding="utf-8") if line[:1] != "#")
    return [
        Squat(row["name"], row["target"], Ecosystem(row["ecosystem"]), row["source"])
        for row in csv.DictReader(lines)
    ]


def load_names(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in text if line.strip() and not line.startswith("#")]


def recording_date() -> dt.datetime:
    for line in (DATA / "pypi-longtail.tsv").open(encoding="utf-8"):
        if line.startswith("# recorded:"):
            day = dt.date.fromisoformat(line.split(":", 1)[1].strip())
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    raise SystemExit("data/pypi-longtail.tsv has no '# recorded:' line")


def load_longtail() -> list[PackageInfo]:
    infos = []
    for line in (DATA / "pypi-longtail.tsv").open(encoding="utf-8"):
        if line.startswith(("#", "name\t")):
            continue
        name, version, month, summary = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
        year, mon = (int(part) for part in month.split("-"))
        last_day = dt.datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=dt.timezone.utc)
        infos.append(
            PackageInfo(
                Ecosystem.PYPI,
                normalize(Ecosystem.PYPI, name),
                True,
                summary=summary or None,
                has_description=True if summary else None,
                latest_version=version or None,
                latest_release=last_day - dt.timedelta(seconds=1),
            )
        )
    return infos


# -- judging ------------------------------------------------------------------------------------
def judged(
    name: str,
    ecosystem: Ecosystem,
    now: dt.datetime,
    status: LookupStatus,
    info: PackageInfo | None = None,
) -> PackageReport:
    """The report depguard's signals and policy (default settings) give this package."""
    return report(evidence(name, info, status=status, ecosystem=ecosystem), now=now)


def fresh(name: str, ecosystem: Ecosystem, now: dt.datetime) -> PackageInfo:
    """What a squatter's upload looks like: three days old, one release, no repository."""
    created = now - dt.timedelta(days=3)
    return PackageInfo(
        ecosystem,
        normalize(ecosystem, name),
        True,
        summary="placeholder",
        has_description=True,
        created=created,
        latest_release=created,
        releases=1,
        maintainers=("new-account",),
        maintainers_source="ownership",
    )


def named(report: PackageReport) -> set[str]:
    """Popular names that the name-based findings say this package imitates."""
    return {
        str(f.evidence["similar_to"])
        for f in report.findings
        if f.id in NAME_SIGNALS and "similar_to" in f.evidence
    }


def same(ecosystem: Ecosystem, a: str, b: str) -> bool:
    return normalize(ecosystem, a) == normalize(ecosystem, b)


# -- reporting ----------------------------------------------------------------------------------
def pct(part: int, whole: int) -> str:
    return f"{part:>5}/{whole:<5} {100 * part / whole:6.1f} %" if whole else "    -"


def show(label: str, part: int, whole: int) -> None:
    print(f"  {label:<62} {pct(part, whole)}")


def squat_figures(squats: list[Squat], now: dt.datetime, title: str) -> None:
    print(title)
    if not squats:
        print("  (none)")
        return
    offline = [judged(s.name, s.ecosystem, now, LookupStatus.OFFLINE) for s in squats]
    registered = [
        judged(s.name, s.ecosystem, now, LookupStatus.FOUND, fresh(s.name, s.ecosystem, now))
        for s in squats
    ]
    missing = [judged(s.name, s.ecosystem, now, LookupStatus.NOT_FOUND) for s in squats]
    n = len(squats)
    typo = [r for r in offline if any(f.id == "typosquat" for f in r.findings)]
    right_typo = sum(
        1
        for s, r in zip(squats, offline, strict=True)
        if any(
            f.id == "typosquat" and same(s.ecosystem, str(f.evidence["similar_to"]), s.target)
            for f in r.findings
        )
    )
    right_any = sum(
        1
        for s, r in zip(squats, offline, strict=True)
        if any(same(s.ecosystem, t, s.target) for t in named(r))
    )
    suggested = sum(
        1
        for s, r in zip(squats, missing, strict=True)
        for f in r.findings
        if f.id == "not-found"
        and f.evidence.get("suggestions")
        and same(s.ecosystem, str(f.evidence["suggestions"][0]), s.target)  # type: ignore[index]
    )
    show("flagged as typosquat (name only)", len(typo), n)
    show("  ... with the right similar_to", right_typo, n)
    show("named the right package (typosquat or name-pattern)", right_any, n)
    show("a name finding warns by itself (registry unreachable)", warns_by_name(offline), n)
    show(
        "block, registered 3 days ago (1 release, no repository)",
        count(registered, Verdict.BLOCK),
        n,
    )
    show("warn or block, registered 3 days ago", count(registered, Verdict.WARN), n)
    show("block, missing from the index (404)", count(missing, Verdict.BLOCK), n)
    show("  ... did-you-mean names the right package", suggested, n)
    kinds = Counter(
        str(f.evidence["kind"]) for r in offline for f in r.findings if f.id == "typosquat"
    )
    print("  confusion classes found:", ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    missed = [s.name for s, r in zip(squats, offline, strict=True) if not named(r)]
    if missed:
        print("  not flagged:", ", ".join(missed))
    print()


def warns_by_name(reports: Iterable[PackageReport]) -> int:
    """Reports with a name-based finding that is at least a warning on its own."""
    names = (*NAME_SIGNALS, "stdlib-name")
    return sum(
        1
        for r in reports
        if any(f.id in names and f.severity.verdict.at_least(Verdict.WARN) for f in r.findings)
    )


def count(reports: Iterable[PackageReport], at_least: Verdict) -> int:
    return sum(1 for r in reports if r.verdict.at_least(at_least))


def hallucination_figures(names: list[str], now: dt.datetime) -> None:
    eco = Ecosystem.PYPI
    print(f"Hallucinated PyPI names (slopsquatting-dataset sample, n={len(names)})")
    offline = [judged(n, eco, now, LookupStatus.OFFLINE) for n in names]
    registered = [judged(n, eco, now, LookupStatus.FOUND, fresh(n, eco, now)) for n in names]
    missing = [judged(n, eco, now, LookupStatus.NOT_FOUND) for n in names]
    total = len(names)
    shaped = sum(
        1 for r in offline if any(f.id in (*NAME_SIGNALS, "stdlib-name") for f in r.findings)
    )
    suggested = sum(
        1
        for r in missing
        for f in r.findings
        if f.id == "not-found" and f.evidence.get("suggestions")
    )
    show(
        "block, missing from the index (404: never registered)",
        count(missing, Verdict.BLOCK),
        total,
    )
    show("  ... with a did-you-mean suggestion", suggested, total)
    show("name signal (typosquat, name-pattern, stdlib-name), name only", shaped, total)
    show(
        "block, registered 3 days ago (1 release, no repository)",
        count(registered, Verdict.BLOCK),
        total,
    )
    show("warn or block, registered 3 days ago", count(registered, Verdict.WARN), total)
    print()


def legit_figures(now: dt.datetime) -> None:
    print("Legitimate packages")
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        keys = list(snapshot(eco).entries)
        reports = [judged(k, eco, now, LookupStatus.OFFLINE) for k in keys]
        flagged = sum(1 for r in reports if any(f.id == "typosquat" for f in r.findings))
        other = sum(
            1 for r in reports if any(f.id in ("name-pattern", "stdlib-name") for f in r.findings)
        )
        show(f"{eco.index_label} top {len(keys):,}: flagged as typosquat", flagged, len(keys))
        show(f"{eco.index_label} top {len(keys):,}: any other name finding", other, len(keys))
    infos = load_longtail()
    reports = [judged(i.name, Ecosystem.PYPI, now, LookupStatus.FOUND, i) for i in infos]
    offline = [judged(i.name, Ecosystem.PYPI, now, LookupStatus.OFFLINE) for i in infos]
    n = len(infos)
    label = f"PyPI long tail, last release over 2 years ago (sample, n={n})"
    print(f"  {label}")
    show("  blocked (recorded metadata)", count(reports, Verdict.BLOCK), n)
    show("  warned or blocked (recorded metadata)", count(reports, Verdict.WARN), n)
    show(
        "  any name finding (informational when established)",
        sum(1 for r in reports if named(r)),
        n,
    )
    show("  a name finding warns by itself (registry unreachable)", warns_by_name(offline), n)
    print()


# -- recording ----------------------------------------------------------------------------------
_URL = re.compile(r"https?://\S+")
_HOSTS = re.compile(
    "|".join(
        re.escape(".".join((urlsplit(url).hostname or "-").split(".")[-2:]))
        for url in (endpoints.PYPI_INDEX, endpoints.NPM_REGISTRY, endpoints.PYPISTATS)
    ),
    re.IGNORECASE,
)


def _redacted(summary: str) -> str:
    """A summary, one line, without links or registry host names (those live in endpoints)."""
    text = _HOSTS.sub("<index>", _URL.sub("<link>", " ".join(summary.split())))
    return text[:120]


def refresh(listing: Path, today: dt.date) -> None:
    cutoff = f"{today.year - 2}-{today.month:02d}"
    rows = []
    with listing.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            name, version, month, rank, summary = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
            if rank or not month or month >= cutoff:
                continue  # popular, or released within the last two years
            rows.append((name, version, month, _redacted(summary)))
    sample = sorted(random.Random(SEED).sample(rows, min(SAMPLE, len(rows))))
    with (DATA / "pypi-longtail.tsv").open("w", encoding="utf-8") as out:
        out.write(
            f"# A random sample (seed {SEED}) of {len(sample):,} of the {len(rows):,} PyPI\n"
            "# projects outside the 15,000 most downloaded whose latest release is before\n"
            f"# {cutoff}.\n"
            "# Drawn from the index's package listing (name, latest version, month of the latest\n"
            "# release, summary) by quality.py --refresh-from; other metadata is unknown.\n"
            f"# recorded: {today.isoformat()}\n"
            "name\tlatest_version\tlatest_release_month\tsummary\n"
        )
        for row in sample:
            out.write("\t".join(row) + "\n")
    print(f"recorded {len(sample)} names of {len(rows)} in data/pypi-longtail.tsv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--refresh-from", type=Path, metavar="LIST", help="redraw the long-tail sample"
    )
    args = parser.parse_args(argv)
    if args.refresh_from:
        refresh(args.refresh_from, dt.date.today())
    now = recording_date()
    squats = load_squats()

    def top(s: Squat) -> bool:
        entry = snapshot(s.ecosystem).get(normalize(s.ecosystem, s.target))
        return entry is not None and entry.rank <= TOP

    print(f"depguard risk engine quality, judged at {now.date()} with default settings\n")
    squat_figures(
        [s for s in squats if top(s)],
        now,
        f"Known typosquats of top-{TOP:,} packages (n={sum(map(top, squats))})",
    )
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        subset = [s for s in squats if top(s) and s.ecosystem is eco]
        squat_figures(subset, now, f"  of which {eco.index_label} (n={len(subset)})")
    rest = [s for s in squats if not top(s)]
    squat_figures(
        rest, now, f"Known typosquats of less popular or unlisted packages (n={len(rest)})"
    )
    hallucination_figures(load_names(DATA / "hallucinated-pypi.txt"), now)
    legit_figures(now)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
