"""How well the risk engine tells squats, placeholders and hallucinations from legitimate packages.

    python benchmarks/quality/quality.py          # figures from the recorded data, offline

Every set is recorded in data/ (sources in README.md) and judged by depguard's own signals and
policy at default settings, so the figures repeat exactly. None of the sets is drawn from the
datasets the independent check uses (Typomind, the ecosyste.ms typosquatting dataset, ConfuDB,
OpenSSF malicious-packages, Twist et al.).

Classes and what counts:

* look-alikes (data/squats.csv): a name finding (`typosquat` or `name-pattern`) whose
  `similar_to` is the labelled target; judged three ways: name only (registry unreachable),
  registered like a squat (young, one release, no repository, one maintainer, tiny files) and
  registered three years ago with the same thin metadata (age is not use);
* generated one-edit typos of the 1,000 most popular names of each list (an omitted, doubled,
  swapped or keyboard-adjacent letter): the right target;
* placeholders and research packages (data/recorded.jsonl, real facts from the index):
  warned or blocked;
* controls: young legitimate long-tail packages (recorded facts; warn and block rates), the
  3,000 old long-tail names (data/pypi-longtail.tsv, names and summaries only), a real large
  Python environment (the env package list's `pip`/`wheel on disk` rows) and both popularity
  snapshots (no `typosquat` flag allowed, timed).

Precision for a name class is TP / (TP + FP) where the false positives are the control names
that get a name finding; for placeholders, the warned-or-blocked young legitimate packages.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from depguard.model import (  # noqa: E402
    Ecosystem,
    LookupStatus,
    PackageInfo,
    PackageReport,
    ReleaseFile,
    Verdict,
)
from depguard.names import normalize  # noqa: E402
from depguard.popularity import snapshot  # noqa: E402

from support.evidence import evidence, report  # noqa: E402

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc)
ENVIRONMENT = Path("/work/.library/env/packages/installed-python.txt")
NAME_SIGNALS = ("typosquat", "name-pattern")
GENERATED_TOP = 1000
SEED = 20261202


@dataclass(frozen=True)
class Squat:
    name: str
    target: str
    ecosystem: Ecosystem
    source: str


def load_squats() -> list[Squat]:
    lines = (line for line in (DATA / "squats.csv").open(encoding="utf-8") if line[:1] != "#")
    return [
        Squat(row["name"], row["target"], Ecosystem(row["ecosystem"]), row["source"])
        for row in csv.DictReader(lines)
    ]


def load_recorded() -> dict[str, list[PackageInfo]]:
    sets: dict[str, list[PackageInfo]] = {}
    for line in (DATA / "recorded.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        sets.setdefault(record["set"], []).append(PackageInfo.from_json(record["info"]))
    return sets


def load_longtail() -> list[str]:
    names = []
    for line in (DATA / "pypi-longtail.tsv").open(encoding="utf-8"):
        if not line.startswith(("#", "name\t")):
            names.append(line.split("\t", 1)[0])
    return names


def load_environment() -> list[str]:
    if not ENVIRONMENT.is_file():
        return []
    names = set()
    for line in ENVIRONMENT.open(encoding="utf-8"):
        fields = line.rstrip("\n").split("\t")
        if len(fields) > 1 and (fields[0].startswith("pip") or fields[0] == "wheel on disk"):
            names.add(normalize(Ecosystem.PYPI, fields[1]))
    return sorted(names)


# -- judging ------------------------------------------------------------------------------------
def judged(
    name: str, ecosystem: Ecosystem, info: PackageInfo | None = None, *, status: LookupStatus
) -> PackageReport:
    return report(evidence(name, info, status=status, ecosystem=ecosystem), now=NOW)


def thin(name: str, ecosystem: Ecosystem, age_days: float) -> PackageInfo:
    """What a squatter's upload looks like: one release, no repository, one maintainer, one
    tiny file and no dependencies, registered ``age_days`` ago."""
    created = NOW - dt.timedelta(days=age_days)
    kind = "tarball" if ecosystem is Ecosystem.NPM else "wheel"
    return PackageInfo(
        ecosystem,
        normalize(ecosystem, name),
        True,
        summary="A helpful library",
        has_description=True,
        created=created,
        latest_release=created,
        latest_version="0.1.0",
        releases=1,
        maintainers=("new-account",),
        maintainers_source="ownership",
        files=(ReleaseFile(f"{name}-0.1.0.{kind}", 1400 if kind == "wheel" else 600, kind),),
        dependencies=0,
    )


def named(item: PackageReport) -> set[str]:
    """The popular names the name-based findings say this package imitates."""
    return {
        str(f.evidence.get("similar_to"))
        for f in item.findings
        if f.id in NAME_SIGNALS and not f.suppressed
    }


def warned(item: PackageReport) -> bool:
    return item.verdict is not Verdict.ALLOW


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f} %" if whole else "0/0"


def right(item: PackageReport, target: str, ecosystem: Ecosystem) -> bool:
    wanted = normalize(ecosystem, target)
    return any(normalize(ecosystem, n) == wanted for n in named(item))


# -- sets ---------------------------------------------------------------------------------------
def generated_typos(ecosystem: Ecosystem) -> list[tuple[str, str]]:
    """One-edit typos of the most popular names, as a language model or a hand slips: an omitted,
    doubled, swapped or keyboard-adjacent letter (names of five or more letters)."""
    from depguard.lookalike import KEYBOARD

    rng = random.Random(SEED + len(ecosystem.value))
    snap = snapshot(ecosystem)
    out = []
    for key, (name, rank, _) in snap.entries.items():
        if rank > GENERATED_TOP or key.startswith("@") or len(key) < 5:
            continue
        at = rng.randrange(1, len(key) - 1)
        kind = rng.choice(("omit", "double", "swap", "keyboard"))
        if kind == "omit":
            typo = key[:at] + key[at + 1 :]
        elif kind == "double":
            typo = key[:at] + key[at] + key[at:]
        elif kind == "swap":
            typo = key[:at] + key[at + 1] + key[at] + key[at + 2 :]
        else:
            near = sorted(KEYBOARD.get(key[at], ()))
            typo = key[:at] + (rng.choice(near) if near else key[at]) + key[at + 1 :]
        typo = normalize(ecosystem, typo)
        if typo != key and typo not in snap and not typo.endswith(("-", ".", "_")):
            out.append((typo, name))
    return out


def main() -> int:
    squats = load_squats()
    recorded = load_recorded()
    print(f"depguard quality, judged at {NOW.date()} with default settings\n")

    # look-alikes
    print("## Look-alikes (data/squats.csv: DataDog manifests, incident write-ups)")
    control_fp = 0
    for ecosystem in (Ecosystem.PYPI, Ecosystem.NPM):
        rows = [s for s in squats if s.ecosystem is ecosystem]
        offline = [judged(s.name, ecosystem, status=LookupStatus.OFFLINE) for s in rows]
        young = [
            judged(s.name, ecosystem, thin(s.name, ecosystem, 3), status=LookupStatus.FOUND)
            for s in rows
        ]
        old = [
            judged(s.name, ecosystem, thin(s.name, ecosystem, 1100), status=LookupStatus.FOUND)
            for s in rows
        ]
        hit = [right(r, s.target, ecosystem) for r, s in zip(offline, rows, strict=True)]
        by_source = {}
        for s, ok in zip(rows, hit, strict=True):
            group = "manifest" if "DataDog" in s.source else "write-ups"
            by_source.setdefault(group, []).append(ok)
        listed = [
            ok
            for s, ok in zip(rows, hit, strict=True)
            if normalize(ecosystem, s.target) in snapshot(ecosystem)
        ]
        print(
            f"- {ecosystem.index_label}: right similar_to {pct(sum(hit), len(rows))}"
            + "".join(f"; {g} {pct(sum(v), len(v))}" for g, v in sorted(by_source.items()))
            + f"; targets in the snapshot {pct(sum(listed), len(listed))}"
        )
        print(
            f"  registered three days ago, thin: blocked {pct(sum(r.verdict is Verdict.BLOCK for r in young), len(rows))}"  # noqa: E501
        )
        print(
            f"  registered three years ago, thin: blocked {pct(sum(r.verdict is Verdict.BLOCK for r in old), len(rows))}"  # noqa: E501
        )
        print(
            f"  taken down (404): blocked {pct(sum(judged(s.name, ecosystem, status=LookupStatus.NOT_FOUND).verdict is Verdict.BLOCK for s in rows), len(rows))}"  # noqa: E501
        )
        missed = [s.name for s, ok in zip(rows, hit, strict=True) if not ok]
        print(f"  missed: {', '.join(missed[:40])}{' ...' if len(missed) > 40 else ''}")
    print()

    print(f"## Generated one-edit typos of the {GENERATED_TOP:,} most popular names")
    for ecosystem in (Ecosystem.PYPI, Ecosystem.NPM):
        pairs = generated_typos(ecosystem)
        ok = sum(
            right(judged(t, ecosystem, status=LookupStatus.OFFLINE), target, ecosystem)
            for t, target in pairs
        )
        print(f"- {ecosystem.index_label}: right target {pct(ok, len(pairs))}")
    print()

    print("## Placeholders and research packages (data/recorded.jsonl, real facts)")
    holders = recorded.get("placeholder", [])
    reports = [judged(i.name, Ecosystem.PYPI, i, status=LookupStatus.FOUND) for i in holders]
    caught = sum(warned(r) for r in reports)
    print(
        f"- warned or blocked {pct(caught, len(reports))}; blocked {pct(sum(r.verdict is Verdict.BLOCK for r in reports), len(reports))}"  # noqa: E501
    )
    print(f"  allowed: {', '.join(r.package.name for r in reports if not warned(r))}")
    silent = [
        replace(i, summary="Utilities for data pipelines", description_head=None) for i in holders
    ]
    silent_reports = [judged(i.name, Ecosystem.PYPI, i, status=LookupStatus.FOUND) for i in silent]
    print(
        f"- the same packages with their text replaced by an innocuous summary: warned or blocked {pct(sum(warned(r) for r in silent_reports), len(silent_reports))}"  # noqa: E501
    )
    print()

    print("## Controls")
    legit = recorded.get("young-legit", [])
    legit_reports = [judged(i.name, Ecosystem.PYPI, i, status=LookupStatus.FOUND) for i in legit]
    legit_warned = [r for r in legit_reports if warned(r)]
    print(
        f"- young legitimate long-tail packages (recorded): warned {pct(sum(r.verdict is Verdict.WARN for r in legit_reports), len(legit_reports))}, blocked {pct(sum(r.verdict is Verdict.BLOCK for r in legit_reports), len(legit_reports))}"  # noqa: E501
    )
    for r in legit_warned:
        print(f"    {r.verdict.value} {r.package.name}: {r.reason}")
    longtail = load_longtail()
    lt_reports = [judged(n, Ecosystem.PYPI, status=LookupStatus.OFFLINE) for n in longtail]
    lt_named = [r.package.name for r in lt_reports if named(r)]
    lt_warn = sum(1 for r in lt_reports if "typosquat" in [f.id for f in r.findings])
    print(
        f"- old long-tail names (data/pypi-longtail.tsv): with a name finding {pct(len(lt_named), len(longtail))}; a typosquat finding (warns when the registry cannot vouch for use) {pct(lt_warn, len(longtail))}"  # noqa: E501
    )
    env = [n for n in load_environment() if n not in snapshot(Ecosystem.PYPI)]
    env_all = load_environment()
    env_named = [n for n in env if named(judged(n, Ecosystem.PYPI, status=LookupStatus.OFFLINE))]
    print(
        f"- a real large Python environment ({len(env_all)} packages, {len(env)} outside the snapshot): with a name finding {pct(len(env_named), len(env_all))}: {', '.join(env_named)}"  # noqa: E501
    )
    control_fp = len(lt_named) + len(env_named)
    for ecosystem in (Ecosystem.PYPI, Ecosystem.NPM):
        start = time.perf_counter()
        keys = list(snapshot(ecosystem).entries)
        flagged = sum(
            "typosquat"
            in [f.id for f in judged(k, ecosystem, status=LookupStatus.OFFLINE).findings]
            for k in keys
        )
        print(
            f"- {ecosystem.index_label} snapshot: {flagged}/{len(keys)} flagged as typosquat, judged in {time.perf_counter() - start:.2f} s"  # noqa: E501
        )
    print()

    print("## Precision and recall per class")
    tp = sum(
        right(judged(s.name, s.ecosystem, status=LookupStatus.OFFLINE), s.target, s.ecosystem)
        for s in squats
    )
    flagged_squats = sum(
        bool(named(judged(s.name, s.ecosystem, status=LookupStatus.OFFLINE))) for s in squats
    )
    print(
        f"- look-alike (name findings): recall {pct(tp, len(squats))}; precision {pct(flagged_squats, flagged_squats + control_fp)} (false positives from the {len(longtail) + len(env_all)} control names)"  # noqa: E501
    )
    fp = len(legit_warned)
    print(
        f"- placeholder (warned or blocked): recall {pct(caught, len(reports))}; precision {pct(caught, caught + fp)} (false positives from the {len(legit_reports)} young legitimate packages)"  # noqa: E501
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
