"""Print what an install would bring in, without judging it (for scripts and benchmarks).

    python -m depguard.resolver [--python-version X.Y] [--platform SYSTEM] REQUIREMENT...
    python -m depguard.resolver --npm NAME[@RANGE]...

One ``name==version`` line per package (``name@version`` for npm), direct ones first, each
transitive one with its chain; problems on standard error, exit 1 if there are any. The index,
cache and cooldown come from the same settings as ``depguard check`` (configuration file,
``DEPGUARD_*`` environment).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from depguard.config import resolve_settings
    from depguard.errors import UsageError
    from depguard.model import Ecosystem
    from depguard.pipeline import resolved
    from depguard.sources import command_line

    parser = argparse.ArgumentParser(prog="python -m depguard.resolver")
    parser.add_argument("requirements", nargs="+")
    parser.add_argument("--npm", action="store_true", help="npm names and ranges")
    parser.add_argument("--python-version")
    parser.add_argument("--platform")
    parser.add_argument("--min-release-age", type=int, metavar="HOURS")
    args = parser.parse_args(argv)
    try:
        settings = resolve_settings(config=None, start=Path.cwd())
        settings = settings.with_overrides(
            python_version=args.python_version, platform=args.platform
        )
        if args.min_release_age is not None:
            from dataclasses import replace

            settings = settings.with_overrides(
                thresholds=replace(settings.thresholds, min_release_age=args.min_release_age)
            )
        ecosystem = Ecosystem.NPM if args.npm else Ecosystem.PYPI
        sources = command_line.parse(list(args.requirements), ecosystem)
        expanded, notices = resolved(sources, settings)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    separator = "@" if args.npm else "=="
    seen = set()
    for dep in expanded.dependencies:
        if dep.named_in.value != "resolved":
            continue
        key = (dep.normalized, dep.version)
        if key in seen:
            continue
        seen.add(key)
        line = f"{dep.name}{separator}{dep.version}" if dep.version else f"{dep.name} (unresolved)"
        if dep.via:
            line += f"    # via {' → '.join(dep.via)}"
        if dep.dependencies_unknown:
            line += f"    # dependencies unknown: {dep.dependencies_unknown}"
        print(line)
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    for error in expanded.errors:
        print(f"error: {error.path}: {error.message}", file=sys.stderr)
    return 1 if expanded.errors else 0


if __name__ == "__main__":
    sys.exit(main())
