"""The ``depguard`` command line: it declares the commands and turns options into typed requests.

Every decision lives in the module that owns it: settings in :mod:`depguard.config`, approvals
in :mod:`depguard.approvals`, report output in :mod:`depguard.report`, the run itself in
:mod:`depguard.pipeline`, the install wrappers in :mod:`depguard.installers`. The options that
commands share are declared once, in :mod:`depguard.cli_options`.

Exit codes: 0 the gate passes, 1 something is blocked (or warned, with ``--fail-on warn``) or an
input could not be read, 2 usage error (bad flag, missing file, bad configuration), 3 internal
error (a bug: please report it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from depguard import __version__
from depguard.cli_options import JUDGING, OPTIONS, READING, REPORT, RESOLVING
from depguard.config import Overrides
from depguard.errors import UsageError
from depguard.model import Ecosystem
from depguard.option_groups import Command, Group, spread
from depguard.report.emit import View

if TYPE_CHECKING:
    from depguard.approvals import Decision
    from depguard.config import Settings

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


def _ecosystem(name: str) -> Ecosystem:
    try:
        return Ecosystem(name.lower())
    except ValueError:
        raise UsageError(f"unknown ecosystem {name!r}; choose pypi or npm") from None


EcosystemOpt = Annotated[
    Ecosystem,
    typer.Option(
        "--ecosystem",
        "-e",
        metavar="INDEX",
        parser=_ecosystem,
        help="Package index of the names: pypi or npm.",
    ),
]
PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PATH",
        help="Manifests, directories, or '-' for a requirements list on standard input. "
        "Default: the current directory.",
    ),
]


def _settings(request: Overrides, targets: list[str] | None = None) -> Settings:
    from depguard.config import settings_for

    return settings_for(targets or ["."], request)


# -- commands ------------------------------------------------------------------------------------


@app.command()
@spread(OPTIONS, request=JUDGING.plus(*READING, *RESOLVING), view=REPORT)
def check(
    request: Overrides,
    view: View,
    paths: PathsArg = None,
    diff: Annotated[
        str | None,
        typer.Option(
            "--diff",
            metavar="REF",
            help="Judge only dependencies (declared or imported) added or changed since the "
            "git ref REF (a branch, tag or commit), read with git, no checkout.",
        ),
    ] = None,
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="Resolve manifests without a lock (PyPI and npm) and judge everything an "
            "install would bring in, transitive dependencies included.",
        ),
    ] = False,
    as_kind: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="KIND",
            help="Read every file named on the command line as this kind (requirements, "
            "pyproject, poetry.lock, uv.lock, pnpm-lock, yarn.lock, ...), whatever its name.",
        ),
    ] = None,
) -> None:
    """Check the dependencies of manifests, lockfiles, source trees, or standard input."""
    from depguard import pipeline
    from depguard.report.emit import emit, progress_bar
    from depguard.sources.reading import read_stdin

    targets = list(paths or ["."])
    settings = _settings(request, targets)
    options = pipeline.RunOptions(
        paths=targets,
        stdin=read_stdin,
        progress=progress_bar(view.quiet),
        diff_ref=diff,
        resolve=resolve,
        as_kind=as_kind,
    )
    raise typer.Exit(emit(pipeline.check(options, settings), view, settings.fail_on))


@app.command()
@spread(OPTIONS, request=JUDGING.plus(*RESOLVING), view=REPORT.without("verbose"))
def review(
    request: Overrides,
    view: View,
    names: Annotated[
        list[str],
        typer.Argument(
            help="Packages to review: name, name==1.2 (PyPI), name@1.2 or @scope/name@1.2 (npm).",
            show_default=False,
        ),
    ],
    ecosystem: EcosystemOpt = Ecosystem.PYPI,
    no_resolve: Annotated[
        bool,
        typer.Option("--no-resolve", help="Judge only the named packages, not what they bring in."),
    ] = False,
) -> None:
    """Show the evidence for packages you are about to install (and everything they bring
    in), and their verdict."""
    from depguard import pipeline
    from depguard.report.emit import emit

    settings = _settings(request)
    report = pipeline.review(names, ecosystem, settings, resolve=not no_resolve)
    raise typer.Exit(emit(report, view, settings.fail_on, cards=True))


WRAPPER_CONTEXT = {
    "allow_interspersed_args": False,
    "ignore_unknown_options": True,
    "allow_extra_args": True,
}


def _installer_command(installer: str, example: str) -> Command:
    @spread(
        OPTIONS,
        request=JUDGING.without("index_url", "private_index_url", "npm_registry"),
        view=REPORT.without("format", "output"),
    )
    def command(
        request: Overrides,
        view: View,
        arguments: Annotated[
            list[str] | None,
            typer.Argument(
                help="The installer's subcommand and arguments, exactly as you would type them.",
                show_default=False,
            ),
        ] = None,
        force: Annotated[
            bool,
            typer.Option(
                "--force",
                help="Run the installer even when something is blocked (the findings are shown "
                "first). Also accepted among the installer's arguments.",
            ),
        ] = False,
    ) -> None:
        from depguard.installers import guard

        settings = _settings(request)
        raise typer.Exit(
            guard(
                installer,
                list(arguments or ()),
                settings,
                force=force,
                verbose=view.verbose,
                quiet=view.quiet,
            )
        )

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


DecisionName = Annotated[
    str, typer.Argument(help="Package name (PyPI: name or name==1.2; npm: name or name@1.2).")
]
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


@app.command()
@spread(
    OPTIONS,
    request=Group(
        Overrides,
        (
            "index_url",
            "private_index_url",
            "cache_dir",
            "no_cache",
            "offline",
            "config",
            "timeout",
        ),
    ),
)
def approve(
    name: DecisionName,
    reason: ReasonOpt,
    request: Overrides,
    by: ByOpt = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            help="Approve only these versions (PyPI: a specifier like '>=2,<3', '~=2.31' or "
            "'2.1.0'; npm: a range like '^4.19' or '1.3.0').",
        ),
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="Last day the approval holds: YYYY-MM-DD, or 90d, 6m, 1y."),
    ] = None,
    ecosystem: EcosystemOpt = Ecosystem.PYPI,
    allowlist: AllowlistFileOpt = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Approve even when the index does not know the name."),
    ] = False,
) -> None:
    """Add a reviewed package to the team allowlist (or update its entry)."""
    from depguard.approvals import Decision

    decision = Decision(
        "allow", name, ecosystem, reason, by, version, expires, allowlist=allowlist, force=force
    )
    _record(decision, request)


@app.command()
@spread(OPTIONS, request=Group(Overrides, ("config",)))
def deny(
    name: DecisionName,
    reason: ReasonOpt,
    request: Overrides,
    by: ByOpt = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="Last day the denial holds: YYYY-MM-DD, or 90d, 6m, 1y."),
    ] = None,
    ecosystem: EcosystemOpt = Ecosystem.PYPI,
    allowlist: AllowlistFileOpt = None,
) -> None:
    """Add a package to the team denylist: it is blocked wherever it appears."""
    from depguard.approvals import Decision

    decision = Decision("deny", name, ecosystem, reason, by, expires=expires, allowlist=allowlist)
    _record(decision, request)


def _record(decision: Decision, request: Overrides) -> None:
    from depguard.approvals import Refused, record
    from depguard.sanitize import clean

    try:
        record(decision, _settings(request), typer.echo, lambda text: typer.echo(text, err=True))
    except Refused as refused:
        typer.echo(f"depguard: {clean(refused.message, 600)}", err=True)
        raise typer.Exit(1) from None


allowlist_app = typer.Typer(
    help="Inspect the team allowlist.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(allowlist_app, name="allowlist")


@allowlist_app.command("check")
@spread(OPTIONS, request=Group(Overrides, ("allowlist", "exclude", "config")))
def allowlist_check(
    request: Overrides,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="The tree the allowlist serves (default: the current directory).",
        ),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
    ] = "text",
) -> None:
    """Report allowlist entries that expired or that nothing in the tree uses (exit 1 if any)."""
    from depguard.approvals import audit_tree
    from depguard.report import allowlist as audit_report

    targets = list(paths or ["."])
    audit_report.check_format(format)
    audit = audit_tree(targets, _settings(request, targets))
    sys.stdout.write(audit_report.render(audit, format))
    raise typer.Exit(1 if audit.failed else 0)


@app.command()
def mcp() -> None:
    """Serve depguard to AI coding assistants over the Model Context Protocol (stdio):
    the tools check_packages, review_package and check_path, for the current directory."""
    from depguard.mcp_server import serve

    serve(Path.cwd())


@app.command()
def hook() -> None:
    """Guard an assistant's shell tool: read a Claude Code PreToolUse (or Cursor
    beforeShellExecution) call on standard input and refuse installs of blocked packages."""
    from depguard.agent_hook import run

    status, out, err = run(sys.stdin.buffer.read())
    sys.stdout.write(out)
    sys.stderr.write(err)
    raise typer.Exit(status)


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
