"""``depguard pip install …`` and ``depguard npm install …``: what the installer would fetch.

The installer's own arguments are read the way the installer reads them, so an option's value
(``-i URL``, ``--target DIR``, ``--registry URL``, ``-w WORKSPACE``) is never taken for a package
name; requirement and constraint files (``-r``, ``-c``), editables (``-e``), pip's dependency
groups (``--group``) and local project directories are read too. An option depguard does not
know is taken for a flag, so the argument after it is checked as a package: when in doubt, more
is checked, never less.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.errors import UsageError
from depguard.model import Ecosystem, NamedIn
from depguard.sources import SourceResult, display_path
from depguard.sources import command_line as cl

if TYPE_CHECKING:
    from depguard.config import Settings

PIP_VALUE_OPTIONS = frozenset(
    {
        "--requirement",
        "--constraint",
        "--editable",
        "--target",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--root",
        "--prefix",
        "--src",
        "--upgrade-strategy",
        "--config-settings",
        "--global-option",
        "--install-option",
        "--build-option",
        "--no-binary",
        "--only-binary",
        "--progress-bar",
        "--root-user-action",
        "--report",
        "--group",
        "--index-url",
        "--extra-index-url",
        "--find-links",
        "--python",
        "--log",
        "--log-file",
        "--keyring-provider",
        "--proxy",
        "--retries",
        "--timeout",
        "--exists-action",
        "--trusted-host",
        "--cert",
        "--client-cert",
        "--cache-dir",
        "--use-feature",
        "--use-deprecated",
        "--resume-retries",
        "--hash",
    }
)
PIP_FLAGS = frozenset(
    {
        "--upgrade",
        "--force-reinstall",
        "--ignore-installed",
        "--ignore-requires-python",
        "--no-deps",
        "--pre",
        "--user",
        "--no-build-isolation",
        "--use-pep517",
        "--no-use-pep517",
        "--check-build-dependencies",
        "--break-system-packages",
        "--compile",
        "--no-compile",
        "--no-warn-script-location",
        "--no-warn-conflicts",
        "--prefer-binary",
        "--require-hashes",
        "--no-clean",
        "--dry-run",
        "--no-index",
        "--help",
        "--debug",
        "--isolated",
        "--require-virtualenv",
        "--verbose",
        "--version",
        "--quiet",
        "--no-input",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--no-color",
        "--no-python-version-warning",
    }
)
PIP_SHORT_VALUES = {
    "r": "--requirement",
    "c": "--constraint",
    "e": "--editable",
    "t": "--target",
    "C": "--config-settings",
    "i": "--index-url",
    "f": "--find-links",
}

NPM_VALUE_OPTIONS = frozenset(
    {
        "--registry",
        "--tag",
        "--prefix",
        "--cache",
        "--userconfig",
        "--globalconfig",
        "--loglevel",
        "--workspace",
        "--omit",
        "--include",
        "--install-strategy",
        "--save-prefix",
        "--before",
        "--cpu",
        "--os",
        "--libc",
        "--otp",
        "--script-shell",
        "--location",
        "--auth-type",
        "--cafile",
        "--ca",
        "--cert",
        "--key",
        "--proxy",
        "--https-proxy",
        "--noproxy",
        "--fetch-retries",
        "--fetch-retry-mintimeout",
        "--fetch-retry-maxtimeout",
        "--fetch-timeout",
        "--node-options",
        "--lockfile-version",
        "--audit-level",
        "--replace-registry-host",
        "--scope",
        "--depth",
    }
)
NPM_SHORT_VALUES = {"w": "--workspace", "C": "--prefix"}
NPM_INSTALL = frozenset(
    {"install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall"}
)
NPM_COMMANDS = NPM_INSTALL | {"add", "ci", "clean-install", "install-clean", "ic"}
FORCE = "--force"
PIP_LONG = tuple(sorted(PIP_VALUE_OPTIONS | PIP_FLAGS))


@dataclass
class Plan:
    """What one installer command line asks for."""

    installer: str
    ecosystem: Ecosystem
    subcommand: str
    passed: list[str]  # the arguments handed to the installer, depguard's own taken out
    packages: list[str] = field(default_factory=list)
    editables: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    index_options: list[tuple[str, str]] = field(default_factory=list)
    """pip's ``(--index-url | --extra-index-url | --find-links, value)`` pairs, in order."""
    force: bool = False

    @property
    def command(self) -> list[str]:
        return [self.subcommand, *self.passed]


OptionReader = Callable[[str, Iterator[str], Plan], None]


def plan(installer: str, arguments: Sequence[str]) -> Plan:
    """Read ``installer SUBCOMMAND ARGS`` (``pip install …``, ``npm install …``)."""
    if not arguments:
        raise UsageError(f"usage: depguard {installer} install [ARGS...]")
    subcommand, *rest = arguments
    if installer in ("pip", "pip3"):
        if subcommand != "install":
            raise UsageError(
                f"depguard wraps '{installer} install' only, not '{installer} {subcommand}'"
            )
        return _pip(installer, subcommand, rest)
    if installer == "npm":
        if subcommand not in NPM_COMMANDS:
            raise UsageError(
                f"depguard wraps 'npm install' (i, add, ci) only, not 'npm {subcommand}'"
            )
        return _npm(subcommand, rest)
    raise UsageError(f"unknown installer {installer!r}; depguard wraps pip and npm")


def _scan(install: Plan, arguments: list[str], option: OptionReader) -> Plan:
    """Positional arguments are packages; ``--force`` is depguard's; ``--`` ends the options."""
    items = iter(arguments)
    only_positional = False
    for arg in items:
        if not only_positional and arg == FORCE:
            install.force = True
            continue
        install.passed.append(arg)
        if only_positional or arg == "-" or not arg.startswith("-"):
            install.packages.append(arg)
        elif arg == "--":
            only_positional = True
        else:
            option(arg, items, install)
    return install


def _take(items: Iterator[str], install: Plan) -> str:
    """The next argument, as an option's value (passed on to the installer unchanged)."""
    value = next(items, "")
    install.passed.append(value)
    return value


def _pip(installer: str, subcommand: str, arguments: list[str]) -> Plan:
    return _scan(Plan(installer, Ecosystem.PYPI, subcommand, []), arguments, _pip_option)


def _pip_option(arg: str, items: Iterator[str], install: Plan) -> None:
    if arg.startswith("--"):
        name, has_value, value = arg.partition("=")
        name = _expand(name, PIP_LONG)
        if name in PIP_VALUE_OPTIONS:
            _pip_value(install, name, value if has_value else _take(items, install))
        return
    # a cluster of short options: -qU, -rFILE, -qr FILE
    for position, letter in enumerate(arg[1:], start=1):
        option = PIP_SHORT_VALUES.get(letter)
        if option is not None:
            _pip_value(install, option, arg[position + 1 :] or _take(items, install))
            return


def _pip_value(result: Plan, option: str, value: str) -> None:
    if option == "--requirement":
        result.requirements.append(value)
    elif option == "--constraint":
        result.constraints.append(value)
    elif option == "--editable":
        result.editables.append(value)
    elif option == "--group":
        result.groups.append(value)
    elif option in ("--index-url", "--extra-index-url", "--find-links"):
        result.indexes.append(value)
        result.index_options.append((option, value))


def _npm(subcommand: str, arguments: list[str]) -> Plan:
    return _scan(Plan("npm", Ecosystem.NPM, subcommand, []), arguments, _npm_option)


def _npm_option(arg: str, items: Iterator[str], install: Plan) -> None:
    if arg.startswith("--"):
        name, has_value, value = arg.partition("=")
        if name in NPM_VALUE_OPTIONS and not has_value:
            value = _take(items, install)
        if name == "--registry":
            install.indexes.append(value)
    elif len(arg) == 2 and arg[1] in NPM_SHORT_VALUES:
        _take(items, install)


def _expand(name: str, known: Sequence[str]) -> str:
    """pip (optparse) accepts any unambiguous prefix of a long option."""
    if name in known:
        return name
    matches = [k for k in known if k.startswith(name)]
    return matches[0] if len(matches) == 1 else name


def sources(install: Plan) -> SourceResult:
    """Every dependency the command line names, read from its arguments and files."""
    if install.ecosystem is Ecosystem.PYPI:
        return _pip_sources(install)
    return _npm_sources(install)


def _pip_sources(install: Plan) -> SourceResult:
    from depguard.sources import requirements
    from depguard.sources.requirements import IncludePolicy

    result = SourceResult()
    policy = IncludePolicy(root=None, allow_outside=True)
    for name in install.requirements:
        result.extend(_file(name, lambda p, d: requirements.parse_file(p, d, policy)))
    for name in install.constraints:
        result.extend(
            _file(name, lambda p, d: requirements.parse_file(p, d, policy, constraint=True))
        )
    for argument in install.packages:
        result.extend(cl.pypi_argument(argument))
        result.extend(_local_project(argument))
    for argument in install.editables:
        result.extend(cl.pypi_argument(argument, editable=True))
        result.extend(_local_project(argument))
    for group in install.groups:
        result.extend(_pip_group(group))
    from depguard.sources.indexes import declare

    for option, value in install.index_options:
        # given on the command line, not written in a file: credentials in it are usable
        declared = declare(
            value,
            "the pip command line",
            option,
            merges=option != "--index-url",
            result=result,
            userinfo_trusted=True,
        )
        if declared is not None:
            result.indexes.append(declared)
    return result


def _file(name: str, parse: Callable[[Path, str], SourceResult]) -> SourceResult:
    path = Path(name)
    if not path.is_file():
        result = SourceResult()
        result.error(cl.LABEL, None, f"requirements file {name!r} not found")
        return result
    return parse(path, display_path(path))


def _local_project(argument: str) -> SourceResult:
    """``pip install .[extra]`` / ``-e ./pkg``: the project's own dependencies are installed too."""
    from depguard.sources import pyproject
    from depguard.sources.requirements import IncludePolicy

    text, _, extras_part = argument.partition("[")
    extras = {e.strip().lower() for e in extras_part.rstrip("]").split(",") if e.strip()}
    directory = Path(text)
    if "://" in text or not directory.is_dir() or not (directory / "pyproject.toml").is_file():
        return SourceResult()
    manifest = directory / "pyproject.toml"
    parsed = pyproject.parse_file(
        manifest, display_path(manifest), IncludePolicy(root=None, allow_outside=True)
    )
    wanted = {NamedIn.PROJECT, NamedIn.BUILD, NamedIn.POETRY}
    kept = SourceResult(errors=parsed.errors, files=parsed.files)
    kept.dependencies = [
        d
        for d in parsed.dependencies
        if (d.named_in in wanted and d.group is None)
        or (d.named_in is NamedIn.OPTIONAL and (d.group or "").lower() in extras)
    ]
    return kept


def _pip_group(value: str) -> SourceResult:
    """``--group [PATH:]NAME`` (pip 25.1): a PEP 735 dependency group of a pyproject.toml."""
    from depguard.names import normalize
    from depguard.sources import pyproject
    from depguard.sources.requirements import IncludePolicy

    path_text, _, group = value.rpartition(":")
    path = Path(path_text or "pyproject.toml")
    result = SourceResult()
    if not path.is_file():
        result.error(cl.LABEL, None, f"--group {value}: {path} not found")
        return result
    parsed = pyproject.parse_file(
        path, display_path(path), IncludePolicy(root=None, allow_outside=True)
    )
    wanted = normalize(Ecosystem.PYPI, group)
    result.errors.extend(parsed.errors)
    result.dependencies = [
        d
        for d in parsed.dependencies
        if d.named_in is NamedIn.GROUP and normalize(Ecosystem.PYPI, d.group or "") == wanted
    ]
    if not result.dependencies and not parsed.errors:
        result.error(display_path(path), None, f"--group {group}: no such dependency group")
    return result


def _npm_sources(install: Plan) -> SourceResult:
    result = SourceResult()
    for argument in install.packages:
        result.extend(cl.npm_argument(argument))
    if not install.packages:
        result.extend(_npm_project())
    return result


def _npm_project() -> SourceResult:
    """``npm install`` / ``npm ci`` with no names install what the project declares."""
    from depguard.sources.collect import ReadContext, collect
    from depguard.sources.requirements import IncludePolicy

    result = SourceResult()
    manifest = Path("package.json")
    if not manifest.is_file():
        result.error(cl.LABEL, None, "no names given and no package.json here: nothing to check")
        return result
    paths = [str(manifest)]
    for lock in ("npm-shrinkwrap.json", "package-lock.json"):
        if Path(lock).is_file():
            paths.append(lock)
            break
    context = ReadContext(includes=IncludePolicy(root=Path.cwd()))
    return collect(paths, context)


# -- the gate --------------------------------------------------------------------------------


def guard(
    installer: str,
    arguments: list[str],
    settings: Settings,
    *,
    force: bool,
    verbose: bool,
    quiet: bool,
) -> int:
    """Judge what the installer was asked for; run it (same arguments, no shell) if it passes.
    Returns the exit status: the gate's when the installer is not run, else the installer's."""
    import shutil
    import subprocess

    from depguard.pipeline import RunOptions, judge_dependencies
    from depguard.policy import exit_code
    from depguard.report.text import make_console, print_report, summary_line
    from depguard.sanitize import clean

    install = plan(installer, arguments)
    force = force or install.force
    program = shutil.which(installer)
    if program is None:
        raise UsageError(f"{installer} not found on PATH")
    from depguard.deadline import INSTALL

    options = RunOptions(paths=(), default_deadline=INSTALL)
    report = judge_dependencies(sources(install), settings, options)
    status = exit_code(report.worst, settings.fail_on)
    console = make_console(stderr=True)
    if quiet:
        console.print(summary_line(report, status, settings.fail_on))
    else:
        print_report(report, console, verbose=verbose, exit_status=status, fail_on=settings.fail_on)
    if install.indexes:
        shown = ", ".join(clean(url, 200) for url in install.indexes)
        ours = settings.index_url if install.ecosystem is Ecosystem.PYPI else settings.npm_registry
        console.print(
            f"note: {installer} was given its own index ({shown}); depguard judged the names "
            f"against {clean(ours, 200)}, and the names it does not serve against that index"
        )
    if status != 0 and not force:
        console.print(
            f"depguard: {installer} was not run. Fix the names above, review them with "
            f"'depguard review NAME', approve a reviewed package with 'depguard approve NAME "
            f"--reason ...', or run again with --force to install anyway."
        )
        return status
    if status != 0:
        console.print(f"depguard: --force given: running {installer} despite the findings above")
    try:
        return subprocess.call([program, *install.command])  # noqa: S603 - no shell
    except OSError as exc:
        raise UsageError(f"cannot run {installer}: {exc.strerror or exc}") from None
