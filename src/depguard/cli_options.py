"""The options that commands share, each declared once.

The key is the field of the record an option fills (:class:`depguard.config.Overrides` or
:class:`depguard.report.emit.View`) and the default is that record's; a command takes a
:class:`~depguard.option_groups.Group` of them (see :func:`depguard.option_groups.spread`).
A new setting is one field in ``Overrides``, one entry here, and its name in the groups of the
commands that take it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from depguard.config import Overrides
from depguard.option_groups import Group
from depguard.report.emit import View

OPTIONS: dict[str, object] = {
    "format": Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Output format: text, json, sarif, github or markdown.",
        ),
    ],
    "output": Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to FILE; a short summary still goes to the terminal.",
            dir_okay=False,
        ),
    ],
    "fail_on": Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="LEVEL",
            help="Exit 1 when anything is at least: block (default), warn, or never.",
        ),
    ],
    "index_url": Annotated[
        str | None,
        typer.Option(
            "--index-url", metavar="URL", help="Package index base URL (env DEPGUARD_INDEX_URL)."
        ),
    ],
    "private_index_url": Annotated[
        str | None,
        typer.Option(
            "--private-index-url",
            metavar="URL",
            help="Private Python index (simple API) serving the names of `private` "
            "(env DEPGUARD_PRIVATE_INDEX_URL; credentials only from the environment, .netrc or "
            "a keyring helper).",
        ),
    ],
    "npm_registry": Annotated[
        str | None,
        typer.Option(
            "--npm-registry",
            metavar="URL",
            help="npm registry base URL (env DEPGUARD_NPM_REGISTRY; default: .npmrc's registry, "
            "else the public registry).",
        ),
    ],
    "cache_dir": Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            metavar="DIR",
            help="Cache directory (env DEPGUARD_CACHE_DIR).",
            file_okay=False,
        ),
    ],
    "cache_url": Annotated[
        str | None,
        typer.Option(
            "--cache-url",
            metavar="URL",
            help="Shared cache behind the local one: redis://host:port/db, rediss://… or "
            "unix://path (env DEPGUARD_CACHE_URL; password from the URL or REDIS_PASSWORD).",
        ),
    ],
    "deadline": Annotated[
        float | None,
        typer.Option(
            "--deadline",
            metavar="SECONDS",
            min=0.1,
            help="Seconds the whole run may take; packages unanswered by then get registry-error "
            "(default 30, 15 for the install wrappers).",
        ),
    ],
    "no_cache": Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ],
    "refresh": Annotated[
        bool, typer.Option("--refresh", help="Ignore cached metadata; ask again.")
    ],
    "offline": Annotated[
        bool, typer.Option("--offline", help="No network: use only the cache and bundled data.")
    ],
    "allowlist": Annotated[
        list[Path] | None,
        typer.Option(
            "--allowlist",
            metavar="FILE",
            help="Team allowlist file (repeatable). Default: found by convention.",
            dir_okay=False,
        ),
    ],
    "require_allowlist": Annotated[
        bool,
        typer.Option(
            "--require-allowlist", help="Block every package that is not on the allowlist."
        ),
    ],
    "fail_open": Annotated[
        bool,
        typer.Option(
            "--fail-open", help="When the registry cannot be asked, warn instead of block."
        ),
    ],
    "exclude": Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Glob of paths to skip when walking directories (repeatable).",
        ),
    ],
    "allow_outside_includes": Annotated[
        bool,
        typer.Option(
            "--allow-outside-includes",
            help="Follow -r/-c includes that point outside the checked tree.",
        ),
    ],
    "project_status": Annotated[
        bool,
        typer.Option(
            "--project-status",
            help="Also ask the index for every package's status marker (archived, deprecated).",
        ),
    ],
    "include_fixtures": Annotated[
        bool,
        typer.Option(
            "--include-fixtures",
            help="Also read test-data and fixture trees (tests/data/, fixtures/, testdata/, "
            "...), which a directory walk skips by default.",
        ),
    ],
    "no_imports": Annotated[
        bool,
        typer.Option(
            "--no-imports",
            help="Do not read the imports of source code (Python, notebooks, JS/TS).",
        ),
    ],
    "python_version": Annotated[
        str | None,
        typer.Option(
            "--python-version",
            metavar="X.Y",
            help="Target Python: for the standard-library list and for --resolve "
            "(default: the running Python).",
        ),
    ],
    "platform": Annotated[
        str | None,
        typer.Option(
            "--platform",
            metavar="SYSTEM[-MACHINE]",
            help="Target platform of a resolution: linux, macos or windows, optionally with "
            "-x86_64 or -aarch64 (default: this machine).",
        ),
    ],
    "min_release_age": Annotated[
        int | None,
        typer.Option(
            "--min-release-age",
            metavar="HOURS",
            min=0,
            help="Cooldown: a version uploaded more recently gets new-release, and the resolver "
            "prefers the newest older one (default 48; 0 turns it off).",
        ),
    ],
    "config": Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Configuration file (depguard.toml or a pyproject.toml).",
            dir_okay=False,
        ),
    ],
    "concurrency": Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            metavar="N",
            min=1,
            max=64,
            help="Registry requests in flight (default 16).",
        ),
    ],
    "timeout": Annotated[
        float | None,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.1,
            help="Seconds to wait for one registry answer (default 15).",
        ),
    ],
    "verbose": Annotated[bool, typer.Option("--verbose", "-v", help="List allowed packages too.")],
    "quiet": Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")],
}

JUDGING = Group(
    Overrides,
    (
        "fail_on",
        "index_url",
        "private_index_url",
        "npm_registry",
        "cache_dir",
        "cache_url",
        "deadline",
        "no_cache",
        "refresh",
        "offline",
        "allowlist",
        "require_allowlist",
        "fail_open",
        "config",
        "concurrency",
        "timeout",
    ),
)
"""The settings of every command that judges packages."""
READING = (
    "exclude",
    "allow_outside_includes",
    "project_status",
    "include_fixtures",
    "no_imports",
)
"""The settings of reading a tree (``check``)."""
RESOLVING = ("python_version", "platform", "min_release_age")
"""The settings of resolving what an install brings in (``check --resolve``, ``review``)."""
REPORT = Group(View, ("format", "output", "verbose", "quiet"))
