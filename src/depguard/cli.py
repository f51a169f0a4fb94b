"""The ``depguard`` command line.

Exit codes: 0 the gate passes, 1 something is blocked (or warned, with ``--fail-on warn``) or an
input could not be read, 2 usage error (bad flag, missing file, bad configuration), 3 internal
error (a bug: please report it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from depguard import __version__
from depguard.errors import UsageError

EXIT_USAGE = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="depguard",
    help="Stop hallucinated and typosquatted dependencies before they are installed.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"depguard {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """depguard checks every dependency (declared or imported) against the package index,
    a team allowlist and risk signals, and gives each an allow, warn or block verdict."""


# Options shared by the commands that judge packages.
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: text, json, sarif, github or markdown.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE; a short summary still goes to the terminal.",
        dir_okay=False,
    ),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="LEVEL",
        help="Exit 1 when anything is at least: block (default), warn, or never.",
    ),
]
IndexOpt = Annotated[
    str | None,
    typer.Option(
        "--index-url", metavar="URL", help="Package index base URL (env DEPGUARD_INDEX_URL)."
    ),
]
PrivateIndexOpt = Annotated[
    str | None,
    typer.Option(
        "--private-index-url",
        metavar="URL",
        help="Private Python index (simple API) serving the names of `private` "
        "(env DEPGUARD_PRIVATE_INDEX_URL; credentials only from the environment, .netrc or "
        "a keyring helper).",
    ),
]
NpmRegistryOpt = Annotated[
    str | None,
    typer.Option(
        "--npm-registry",
        metavar="URL",
        help="npm registry base URL (env DEPGUARD_NPM_REGISTRY; default: .npmrc's registry, "
        "else the public registry).",
    ),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Cache directory (env DEPGUARD_CACHE_DIR).",
        file_okay=False,
    ),
]
CacheUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--cache-url",
        metavar="URL",
        help="Shared cache behind the local one: redis://host:port/db, rediss://… or "
        "unix://path (env DEPGUARD_CACHE_URL; password from the URL or REDIS_PASSWORD).",
    ),
]
DeadlineOpt = Annotated[
    float | None,
    typer.Option(
        "--deadline",
        metavar="SECONDS",
        min=0.1,
        help="Seconds the whole run may take; packages unanswered by then get registry-error "
        "(default 30, 15 for the install wrappers).",
    ),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Ignore cached metadata; ask again.")]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="No network: use only the cache and bundled data.")
]
AllowlistOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--allowlist",
        metavar="FILE",
        help="Team allowlist file (repeatable). Default: found by convention.",
        dir_okay=False,
    ),
]
RequireAllowlistOpt = Annotated[
    bool,
    typer.Option("--require-allowlist", help="Block every package that is not on the allowlist."),
]
FailOpenOpt = Annotated[
    bool,
    typer.Option("--fail-open", help="When the registry cannot be asked, warn instead of block."),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Configuration file (depguard.toml or a pyproject.toml).",
        dir_okay=False,
    ),
]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        metavar="N",
        min=1,
        max=64,
        help="Registry requests in flight (default 16).",
    ),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        help="Seconds to wait for one registry answer (default 15).",
    ),
]
AsKindOpt = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="KIND",
        help="Read every file named on the command line as this kind (requirements, pyproject, "
        "poetry.lock, uv.lock, pnpm-lock, yarn.lock, ...), whatever its name.",
    ),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="List allowed packages too.")]
PythonVersionOpt = Annotated[
    str | None,
    typer.Option(
        "--python-version",
        metavar="X.Y",
        help="Target Python: for the standard-library list and for --resolve "
        "(default: the running Python).",
    ),
]
PlatformOpt = Annotated[
    str | None,
    typer.Option(
        "--platform",
        metavar="SYSTEM[-MACHINE]",
        help="Target platform of a resolution: linux, macos or windows, optionally with "
        "-x86_64 or -aarch64 (default: this machine).",
    ),
]
MinReleaseAgeOpt = Annotated[
    int | None,
    typer.Option(
        "--min-release-age",
        metavar="HOURS",
        min=0,
        help="Cooldown: a version uploaded more recently gets new-release, and the resolver "
        "prefers the newest older one (default 48; 0 turns it off).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")]


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Manifests, directories, or '-' for a requirements list on standard input. "
            "Default: the current directory.",
        ),
    ] = None,
    format: FormatOpt = "text",
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    index_url: IndexOpt = None,
    private_index_url: PrivateIndexOpt = None,
    npm_registry: NpmRegistryOpt = None,
    cache_dir: CacheDirOpt = None,
    cache_url: CacheUrlOpt = None,
    deadline: DeadlineOpt = None,
    no_cache: NoCacheOpt = False,
    refresh: RefreshOpt = False,
    offline: OfflineOpt = False,
    allowlist: AllowlistOpt = None,
    require_allowlist: RequireAllowlistOpt = False,
    fail_open: FailOpenOpt = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Glob of paths to skip when walking directories (repeatable).",
        ),
    ] = None,
    allow_outside_includes: Annotated[
        bool,
        typer.Option(
            "--allow-outside-includes",
            help="Follow -r/-c includes that point outside the checked tree.",
        ),
    ] = False,
    project_status: Annotated[
        bool,
        typer.Option(
            "--project-status",
            help="Also ask the index for every package's status marker (archived, deprecated).",
        ),
    ] = False,
    include_fixtures: Annotated[
        bool,
        typer.Option(
            "--include-fixtures",
            help="Also read test-data and fixture trees (tests/data/, fixtures/, testdata/, "
            "...), which a directory walk skips by default.",
        ),
    ] = False,
    diff: Annotated[
        str | None,
        typer.Option(
            "--diff",
            metavar="REF",
            help="Judge only dependencies (declared or imported) added or changed since the "
            "git ref REF (a branch, tag or commit), read with git, no checkout.",
        ),
    ] = None,
    no_imports: Annotated[
        bool,
        typer.Option(
            "--no-imports",
            help="Do not read the imports of source code (Python, notebooks, JS/TS).",
        ),
    ] = False,
    python_version: PythonVersionOpt = None,
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="Resolve manifests without a lock (PyPI and npm) and judge everything an "
            "install would bring in, transitive dependencies included.",
        ),
    ] = False,
    platform: PlatformOpt = None,
    min_release_age: MinReleaseAgeOpt = None,
    as_kind: AsKindOpt = None,
    config: ConfigOpt = None,
    concurrency: ConcurrencyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Check the dependencies of manifests, lockfiles, source trees, or standard input."""
    from depguard.pipeline import RunOptions
    from depguard.pipeline import check as run_check

    targets = list(paths or ["."])
    settings = _settings(
        targets,
        **_shared(locals()),
        exclude=exclude,
        allow_outside_includes=allow_outside_includes,
        project_status=project_status,
        include_fixtures=include_fixtures,
        no_imports=no_imports,
        python_version=python_version,
        platform=platform,
    )
    settings = _release_age(settings, min_release_age)
    _check_format(format)
    options = RunOptions(
        paths=targets,
        stdin=_read_stdin,
        progress=_progress_factory(quiet),
        diff_ref=diff,
        resolve=resolve,
        as_kind=as_kind,
    )
    report = run_check(options, settings)
    _emit(report, settings, format=format, output=output, verbose=verbose, quiet=quiet)


SHARED_SETTINGS = (
    "config",
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
    "fail_on",
    "concurrency",
    "timeout",
)
"""The options every judging command takes (declared once above as ``*Opt``)."""


def _shared(values: dict[str, Any]) -> dict[str, Any]:
    """The shared options among a command's parameters, for :func:`_settings`."""
    return {key: values[key] for key in SHARED_SETTINGS if key in values}


def _check_format(name: str) -> None:
    from depguard.report import FORMATS

    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")


def _settings(
    targets: list[str],
    *,
    config: Path | None = None,
    no_cache: bool = False,
    allowlist: list[Path] | None = None,
    exclude: list[str] | None = None,
    no_imports: bool = False,
    **flags: Any,
) -> Any:
    from depguard.config import project_root, resolve_settings

    first = next((t for t in targets if t != "-"), ".")
    start = Path(first)
    start = start if start.is_dir() else start.parent
    root = project_root(start)
    settings = resolve_settings(
        config=config,
        start=Path.cwd(),
        npmrc_start=start,
        npmrc_root=root,
        flags={
            k: str(v) if isinstance(v, Path) else v
            for k, v in flags.items()
            if v not in (None, False)
        },
    )
    changes: dict[str, Any] = {"root": str(root)}
    if no_cache:
        changes["use_cache"] = False
    if no_imports:
        changes["imports"] = False
    if allowlist:
        changes["allowlist"] = tuple(str(p) for p in allowlist)
    if exclude:
        changes["exclude"] = settings.exclude + tuple(exclude)
    return settings.with_overrides(**changes)


def _release_age(settings: Any, hours: int | None) -> Any:
    """``--min-release-age`` over the configured cooldown."""
    if hours is None:
        return settings
    from dataclasses import replace

    return settings.with_overrides(thresholds=replace(settings.thresholds, min_release_age=hours))


def _read_stdin() -> str:
    from depguard.sources.reading import MANIFEST_LIMIT, decode

    data = sys.stdin.buffer.read(MANIFEST_LIMIT + 1)
    if len(data) > MANIFEST_LIMIT:
        raise UsageError("standard input is larger than the manifest size bound")
    from depguard.errors import ManifestError

    try:
        return decode(data)
    except ManifestError as exc:
        raise UsageError(f"standard input: {exc.message}") from None


def _progress_factory(quiet: bool) -> Any:
    def start(total: int) -> Any:
        if quiet or total <= 5 or not os.isatty(2):
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from depguard.report.text import make_console

        progress = Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            console=make_console(stderr=True),
            transient=True,
        )
        task = progress.add_task("registry", total=total)
        progress.start()
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            progress.update(task, advance=n)
            if done[0] >= total:
                progress.stop()

        return tick

    return start


def _emit(
    report: Any,
    settings: Any,
    *,
    format: str,
    output: Path | None,
    verbose: bool,
    quiet: bool,
    cards: bool = False,
) -> None:
    """Write the report in ``format`` (to ``output`` or standard output), the human view to the
    terminal, and exit with the gate's code. ``cards`` shows one card per package (review)."""
    from depguard.policy import exit_code
    from depguard.report import renderer
    from depguard.report.text import make_console, print_report, summary_line

    status = exit_code(report.worst, settings.fail_on)
    if output is not None or format != "text":
        if cards and format == "text":
            from depguard.report.card import render as render_cards

            rendered = render_cards(report)
        else:
            rendered = renderer(format)(report)
        if output is not None:
            try:
                output.write_text(rendered, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
        else:
            sys.stdout.write(rendered)
            sys.stdout.flush()
    if format == "text" or output is not None:
        console = make_console(stderr=output is None and format != "text")
        if quiet:
            console.print(summary_line(report, status, settings.fail_on))
        elif cards:
            from depguard.report.card import print_cards

            print_cards(report, console, exit_status=status, fail_on=settings.fail_on)
        else:
            print_report(
                report, console, verbose=verbose, exit_status=status, fail_on=settings.fail_on
            )
    raise typer.Exit(status)


EcosystemOpt = Annotated[
    str, typer.Option("--ecosystem", "-e", help="Package index of the names: pypi or npm.")
]


def _ecosystem(name: str) -> Any:
    from depguard.model import Ecosystem

    try:
        return Ecosystem(name.lower())
    except ValueError:
        raise UsageError(f"unknown ecosystem {name!r}; choose pypi or npm") from None


@app.command()
def review(
    names: Annotated[
        list[str],
        typer.Argument(
            help="Packages to review: name, name==1.2 (PyPI), name@1.2 or @scope/name@1.2 (npm).",
            show_default=False,
        ),
    ],
    ecosystem: EcosystemOpt = "pypi",
    format: FormatOpt = "text",
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    index_url: IndexOpt = None,
    private_index_url: PrivateIndexOpt = None,
    npm_registry: NpmRegistryOpt = None,
    cache_dir: CacheDirOpt = None,
    cache_url: CacheUrlOpt = None,
    deadline: DeadlineOpt = None,
    no_cache: NoCacheOpt = False,
    refresh: RefreshOpt = False,
    offline: OfflineOpt = False,
    allowlist: AllowlistOpt = None,
    require_allowlist: RequireAllowlistOpt = False,
    fail_open: FailOpenOpt = False,
    no_resolve: Annotated[
        bool,
        typer.Option("--no-resolve", help="Judge only the named packages, not what they bring in."),
    ] = False,
    python_version: PythonVersionOpt = None,
    platform: PlatformOpt = None,
    min_release_age: MinReleaseAgeOpt = None,
    config: ConfigOpt = None,
    concurrency: ConcurrencyOpt = None,
    timeout: TimeoutOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Show the evidence for packages you are about to install (and everything they bring
    in), and their verdict."""
    from depguard.pipeline import RunOptions, judge_dependencies
    from depguard.sources import command_line

    eco = _ecosystem(ecosystem)
    settings = _settings(
        ["."],
        **_shared(locals()),
        exclude=None,
        project_status=True,
        python_version=python_version,
        platform=platform,
    )
    settings = _release_age(settings, min_release_age)
    _check_format(format)
    sources = command_line.parse(list(names), eco)
    options = RunOptions(paths=(), live_downloads=True, resolve=not no_resolve)
    report = judge_dependencies(sources, settings, options)
    _emit(report, settings, format=format, output=output, verbose=True, quiet=quiet, cards=True)


WRAPPER_CONTEXT = {
    "allow_interspersed_args": False,
    "ignore_unknown_options": True,
    "allow_extra_args": True,
}
InstallerArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="The installer's subcommand and arguments, exactly as you would type them.",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Run the installer even when something is blocked (the findings are shown first). "
        "Also accepted among the installer's arguments.",
    ),
]


def _installer_command(installer: str, example: str) -> Any:
    def command(
        arguments: InstallerArgs = None,
        force: ForceOpt = False,
        fail_on: FailOnOpt = None,
        cache_dir: CacheDirOpt = None,
        cache_url: CacheUrlOpt = None,
        deadline: DeadlineOpt = None,
        no_cache: NoCacheOpt = False,
        refresh: RefreshOpt = False,
        offline: OfflineOpt = False,
        allowlist: AllowlistOpt = None,
        require_allowlist: RequireAllowlistOpt = False,
        fail_open: FailOpenOpt = False,
        config: ConfigOpt = None,
        concurrency: ConcurrencyOpt = None,
        timeout: TimeoutOpt = None,
        verbose: VerboseOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        settings = _settings(["."], **_shared(locals()), exclude=None)
        _wrap(installer, list(arguments or ()), settings, force=force, verbose=verbose, quiet=quiet)

    command.__doc__ = (
        f"Check what '{installer} install ...' would install, then run {installer} if nothing "
        f"is blocked.\n\nExample: depguard {example}"
    )
    return command


app.command(name="pip", context_settings=WRAPPER_CONTEXT)(
    _installer_command("pip", "pip install -r requirements.txt requests==2.32.3")
)
app.command(name="npm", context_settings=WRAPPER_CONTEXT)(
    _installer_command("npm", "npm install left-pad@1.3.0 --save-dev")
)


def _wrap(
    installer: str, arguments: list[str], settings: Any, *, force: bool, verbose: bool, quiet: bool
) -> None:
    """Judge what the installer was asked for; run it (same arguments, no shell) if it passes."""
    import shutil
    import subprocess

    from depguard import installers
    from depguard.pipeline import RunOptions, judge_dependencies
    from depguard.policy import exit_code
    from depguard.report.text import make_console, print_report, summary_line
    from depguard.sanitize import clean

    install = installers.plan(installer, arguments)
    force = force or install.force
    program = shutil.which(installer)
    if program is None:
        raise UsageError(f"{installer} not found on PATH")
    from depguard.deadline import INSTALL

    report = judge_dependencies(
        installers.sources(install), settings, RunOptions(paths=(), default_deadline=INSTALL)
    )
    status = exit_code(report.worst, settings.fail_on)
    console = make_console(stderr=True)
    if quiet:
        console.print(summary_line(report, status, settings.fail_on))
    else:
        print_report(report, console, verbose=verbose, exit_status=status, fail_on=settings.fail_on)
    if install.indexes:
        shown = ", ".join(clean(url, 200) for url in install.indexes)
        ours = settings.index_url if install.ecosystem.value == "pypi" else settings.npm_registry
        console.print(
            f"note: {installer} was given its own index ({shown}); depguard judged the names "
            f"against {clean(ours, 200)}"
        )
    if status != 0 and not force:
        console.print(
            f"depguard: {installer} was not run. Fix the names above, review them with "
            f"'depguard review NAME', approve a reviewed package with 'depguard approve NAME "
            f"--reason ...', or run again with --force to install anyway."
        )
        raise typer.Exit(status)
    if status != 0:
        console.print(f"depguard: --force given: running {installer} despite the findings above")
    try:
        code = subprocess.call([program, *install.command])  # noqa: S603 - no shell
    except OSError as exc:
        raise UsageError(f"cannot run {installer}: {exc.strerror or exc}") from None
    raise typer.Exit(code)


ReasonOpt = Annotated[
    str,
    typer.Option(
        "--reason",
        "-r",
        help="Why: what was reviewed, or what is wrong with it.",
        show_default=False,
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Who decided (default: git's user.name, else the login name)."),
]
AllowlistFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--allowlist",
        help="Allowlist file to edit (created if missing). Default: the configured or "
        "conventional file, else depguard-allowlist.toml at the repository root.",
        dir_okay=False,
    ),
]
DecisionName = Annotated[
    str, typer.Argument(help="Package name (PyPI: name or name==1.2; npm: name or name@1.2).")
]


@app.command()
def approve(
    name: DecisionName,
    reason: ReasonOpt,
    by: ByOpt = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            help="Approve only these versions (PyPI: a specifier like '>=2,<3' or '2.1.0'; "
            "npm: exact versions separated by '||').",
        ),
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="Last day the approval holds: YYYY-MM-DD, or 90d, 6m, 1y."),
    ] = None,
    ecosystem: EcosystemOpt = "pypi",
    allowlist: AllowlistFileOpt = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Approve even when the index does not know the name."),
    ] = False,
    index_url: IndexOpt = None,
    private_index_url: PrivateIndexOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    offline: OfflineOpt = False,
    config: ConfigOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Add a reviewed package to the team allowlist (or update its entry)."""
    _decide("allow", locals())


@app.command()
def deny(
    name: DecisionName,
    reason: ReasonOpt,
    by: ByOpt = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="Last day the denial holds: YYYY-MM-DD, or 90d, 6m, 1y."),
    ] = None,
    ecosystem: EcosystemOpt = "pypi",
    allowlist: AllowlistFileOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Add a package to the team denylist: it is blocked wherever it appears."""
    _decide("deny", {**locals(), "version": None, "force": True})


def _decide(kind: str, values: dict[str, Any]) -> None:
    from depguard import allowlist as allowlists
    from depguard import approvals
    from depguard.names import normalize
    from depguard.sanitize import clean
    from depguard.sources import display_path
    from depguard.timeutil import utcnow

    eco = _ecosystem(values["ecosystem"])
    today = utcnow().date()
    name, version = approvals.target(values["name"], eco, values.get("version"))
    reason = approvals.checked_text(values["reason"], "--reason")
    by = approvals.checked_text(values["by"], "--by") if values.get("by") else None
    by = by or approvals.default_approver()
    expires = approvals.expiry(values.get("expires"), today)
    shared = {k: v for k, v in _shared(values).items() if k != "allowlist"}
    settings = _settings(["."], **shared)
    root = Path(settings.root)
    chosen: Path | None = values.get("allowlist")
    path = chosen or allowlists.write_path(root, settings.allowlist)
    known = dict.fromkeys([path, *allowlists.discover(root, settings.allowlist)])
    team = allowlists.load([p for p in known if p.is_file()])
    clash = approvals.conflict(team, kind, eco, normalize(eco, name))
    if clash is not None:
        other = "denylist" if clash.kind == "deny" else "allowlist"
        _refuse(
            f"{name} is on the {other} in {clash.source} ({clean(clash.describe(), 200)}); "
            "remove that entry first"
        )
    if kind == "allow":
        _confirm_exists(name, eco, version, settings, force=values["force"])
    written = allowlists.write_entry(
        path, kind, approvals.entry_values(kind, name, eco, reason, by, today, version, expires)
    )
    word = "approved" if kind == "allow" else "denied"
    where = f"{display_path(written.path)}:{written.line}"
    if written.action == "added":
        typer.echo(f"{word} {name} ({eco.index_label}) in {where}")
    else:
        was = ", ".join(f"{k}={clean(v, 80)!r}" for k, v in (written.previous or {}).items())
        typer.echo(f"{word} {name} ({eco.index_label}): updated the existing entry at {where}")
        typer.echo(f"  it said: {was}")


def _confirm_exists(
    name: str, ecosystem: Any, version: str | None, settings: Any, *, force: bool
) -> None:
    """Ask the index (through the pipeline) that the name exists before approving it."""
    from depguard.model import LookupStatus
    from depguard.pipeline import RunOptions, judge_dependencies
    from depguard.sources import command_line

    sources = command_line.parse([name], ecosystem)
    report = judge_dependencies(sources, settings, RunOptions(paths=()))
    item = report.packages[0]
    index = ecosystem.index_label
    status = item.lookup.status
    info = item.lookup.info
    problem = None
    if status is LookupStatus.NOT_FOUND:
        problem = f"{name} does not exist on {index}"
    elif status is not LookupStatus.FOUND:
        problem = f"could not confirm that {name} exists on {index} ({status.value})"
    elif version and info is not None and version.startswith("==") and "*" not in version:
        pin = version[2:].strip()
        if info.versions and pin not in info.versions:
            problem = f"{name} has no version {pin} on {index}"
    if problem is None:
        created = info.created.date().isoformat() if info and info.created else "unknown"
        releases = info.releases if info and info.releases is not None else "unknown"
        typer.echo(f"{name} exists on {index}: created {created}, {releases} releases")
        return
    if force:
        typer.echo(f"warning: {problem}; approving anyway (--force)", err=True)
        return
    _refuse(
        f"{problem}; refusing to approve it (an approved name that is not on the index is "
        "a squatter's opportunity). Use --force for a package the index cannot see."
    )


def _refuse(message: str) -> None:
    from depguard.sanitize import clean

    typer.echo(f"depguard: {clean(message, 600)}", err=True)
    raise typer.Exit(1)


allowlist_app = typer.Typer(
    help="Inspect the team allowlist.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(allowlist_app, name="allowlist")


@allowlist_app.command("check")
def allowlist_check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="The tree the allowlist serves (default: the current directory)."),
    ] = None,
    allowlist: AllowlistOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of paths to skip when walking (repeatable)."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Report allowlist entries that expired or that nothing in the tree uses (exit 1 if any)."""
    import json

    from depguard import allowlist as allowlists
    from depguard import approvals
    from depguard.pipeline import RunOptions, read_sources
    from depguard.sanitize import clean
    from depguard.sources import display_path
    from depguard.timeutil import utcnow

    if format not in ("text", "json"):
        raise UsageError(f"unknown format {format!r}; choose text or json")
    targets = list(paths or ["."])
    settings = _settings(targets, config=config, allowlist=allowlist, exclude=exclude)
    files = allowlists.discover(Path(settings.root), settings.allowlist)
    team = allowlists.load(files)
    sources = read_sources(RunOptions(paths=targets), settings)
    used = {(d.ecosystem, d.normalized) for d in sources.dependencies}
    problems = approvals.audit(team, used, utcnow().date())
    failed = bool(problems or sources.errors)
    if format == "json":
        document = {
            "files": [str(f) for f in files],
            "entries": len(team.entries),
            "problems": [p.to_json() for p in problems],
            "errors": [
                {"path": e.path, "line": e.line, "message": clean(e.message, 500)}
                for e in sources.errors
            ],
        }
        typer.echo(json.dumps(document, indent=2))
        raise typer.Exit(1 if failed else 0)
    if not files:
        typer.echo("no allowlist found (depguard-allowlist.toml or .depguard/allowlist.toml)")
    for problem in problems:
        entry = problem.entry
        shown = display_path(Path(entry.source))
        where = f"{shown}:{problem.line}" if problem.line else shown
        typer.echo(
            f"{where}: {entry.kind} {clean(entry.name, 100)} ({entry.ecosystem.value}): "
            f"{problem.problem} - {clean(entry.reason, 200)!r}"
        )
    for error in sources.errors:
        line = f":{error.line}" if error.line else ""
        typer.echo(f"{clean(error.path, 200)}{line}: parse-error: {clean(error.message, 300)}")
    kinds = [p.problem.split(":")[0].split(" on ")[0].split(" of ")[0] for p in problems]
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)) or "no problems"
    mark = "✗" if failed else "✓"
    entries = "entry" if len(team.entries) == 1 else "entries"
    typer.echo(f"{mark} {len(team.entries)} allowlist {entries} checked: {counts}")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    """Console entry point: never a traceback, always an exit code."""
    try:
        app(prog_name="depguard")
    except UsageError as exc:
        _fail(f"error: {exc}", EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("DEPGUARD_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (set DEPGUARD_DEBUG=1 for details; "
            "please report this)",
            EXIT_INTERNAL,
        )


def _fail(message: str, code: int) -> None:
    from depguard.sanitize import clean

    sys.stderr.write(f"depguard: {clean(message, 1000)}\n")
    raise SystemExit(code)
