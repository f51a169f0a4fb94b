"""``depguard hook``: the guard point of an AI assistant's shell tool.

Claude Code runs a ``PreToolUse`` hook before each tool call and hands it the call as JSON on
standard input (``{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input":
{"command": "pip install colourama"}, "cwd": ...}``). Cursor's ``beforeShellExecution`` hook
sends ``{"hook_event_name": "beforeShellExecution", "command": ..., "cwd": ...}``. The hook
finds the install commands in the shell line (pip, uv, poetry, pdm, pipenv, pipx, uvx, npm,
pnpm, yarn, bun, npx), judges the packages they name with the same pipeline as ``check``, and
refuses the call when one is blocked, with the reason. Anything else passes untouched: the
hook never approves a call on the user's behalf, it only refuses.

Refusal is said in both ways the assistants read: a JSON decision on standard output and the
reason on standard error with exit status 2.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from depguard.model import Ecosystem

if TYPE_CHECKING:
    from depguard.model import Report
    from depguard.sources import SourceResult

INPUT_LIMIT = 1 << 20
"""Bytes of tool-call JSON read from standard input."""
REFUSE = 2
"""Exit status that makes Claude Code refuse the tool call and show our standard error."""

_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "|&", "(", ")", "\n"})
_PREFIXES = frozenset({"sudo", "env", "command", "time", "nohup", "exec", "nice", "xargs"})


@dataclass
class Install:
    """One install command found in a shell line."""

    installer: str
    ecosystem: Ecosystem
    arguments: list[str] = field(default_factory=list)
    """``install ARGS`` for pip and npm (read by :mod:`depguard.installers`)."""
    names: list[str] = field(default_factory=list)
    """Package arguments of the other installers."""


def _options(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Options of the other installers that take a value (the next word, unless written NAME=VALUE).
_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "uv": _options(
        "--group --optional --index --default-index --index-url --extra-index-url -i "
        "--python -p --package --tag --branch --rev --extra --marker -m --directory --project "
        "--script --constraints -c --requirements -r --with --from --bounds"
    ),
    "poetry": _options(
        "--group -G --extras -E --source --python --platform --markers --directory -C --project -P"
    ),
    "pdm": _options("--group -G --project -p --python --venv"),
    "pipenv": _options("--python --index -i --extra-index-url --categories -r"),
    "pipx": _options("--python --index-url -i --pip-args --suffix --spec"),
    "node": _options("--filter -F --dir -C --cwd --registry --workspace -w --prefix --package -p"),
}


def installs(command: str) -> list[Install]:
    """The install commands in a shell line (``a && pip install x; npm i y``)."""
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|()\n")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words = list(lexer)
    except ValueError:  # unbalanced quotes: the shell refuses the line too
        return []
    found: list[Install] = []
    for simple in _split(words):
        install = _install(_strip(simple))
        if install is not None:
            found.append(install)
    return found


def _split(words: Sequence[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for word in words:
        if word in _SEPARATORS or set(word) <= set(";&|()\n"):
            if current:
                yield current
            current = []
        else:
            current.append(word)
    if current:
        yield current


def _strip(words: list[str]) -> list[str]:
    """Leave out variable assignments and wrappers (``sudo``, ``env``, ``FOO=1``)."""
    position = 0
    while position < len(words):
        word = words[position]
        assignment = "=" in word and word.split("=", 1)[0].isidentifier()
        wrapper = PurePath(word).name in _PREFIXES or (position > 0 and word.startswith("-"))
        if not (assignment or wrapper):
            break
        position += 1
    return words[position:]


def _program(word: str) -> str:
    name = PurePath(word).name
    for stem in ("pip", "python"):
        if name.startswith(stem) and all(c.isdigit() or c == "." for c in name[len(stem) :]):
            return stem
    return name


def _install(words: list[str]) -> Install | None:
    if not words:
        return None
    program, rest = _program(words[0]), words[1:]
    if program == "python":
        while rest and rest[0].startswith("-") and rest[0] != "-m":
            rest = rest[1:]
        if len(rest) < 2 or rest[0] != "-m" or _program(rest[1]) != "pip":
            return None
        program, rest = "pip", rest[2:]
    if program == "uv" and rest[:1] == ["pip"]:
        program, rest = "pip", rest[1:]
    if program == "pip":
        return Install("pip", Ecosystem.PYPI, rest) if rest[:1] == ["install"] else None
    if program == "npm":
        if rest[:1] and rest[0] in {"install", "i", "add", "in", "isntall", "ci"}:
            return Install("npm", Ecosystem.NPM, ["install", *rest[1:]])
        if rest[:1] in (["exec"], ["x"]):
            return _named("npm", Ecosystem.NPM, rest[1:], "node", first_only=True)
        return None
    return _other(program, rest)


def _other(program: str, rest: list[str]) -> Install | None:
    pypi, npm = Ecosystem.PYPI, Ecosystem.NPM
    verb = rest[0] if rest else ""
    if program == "uv" and verb == "add":
        return _named(program, pypi, rest[1:], "uv")
    if program == "uv" and rest[:2] == ["tool", "install"]:
        return _named(program, pypi, rest[2:], "uv")
    if program == "uv" and rest[:2] in (["tool", "run"], ["run", "--with"]):
        return _named(program, pypi, rest[2:], "uv", first_only=True)
    if program == "uvx":
        return _named(program, pypi, rest, "uv", first_only=True)
    if program in ("poetry", "pdm") and verb == "add":
        return _named(program, pypi, rest[1:], program)
    if program == "pipenv" and verb == "install":
        return _named(program, pypi, rest[1:], program)
    if program == "pipx" and verb in ("install", "run", "inject"):
        return _named(program, pypi, rest[1:], program, first_only=verb == "run")
    if program in ("pnpm", "yarn", "bun") and verb in ("add", "install", "i"):
        names = rest[1:] if rest[:1] != ["global"] else rest[2:]
        return _named(program, npm, names, "node")
    if program == "yarn" and rest[:2] == ["global", "add"]:
        return _named(program, npm, rest[2:], "node")
    if program in ("npx", "bunx") or (program == "pnpm" and verb == "dlx"):
        words = rest[1:] if program == "pnpm" else rest
        return _named(program, npm, words, "node", first_only=True)
    return None


def _named(
    installer: str, ecosystem: Ecosystem, words: list[str], table: str, *, first_only: bool = False
) -> Install | None:
    values = _VALUE_OPTIONS[table]
    names: list[str] = []
    items = iter(words)
    for word in items:
        if word == "--":
            names.extend(items)
            break
        if word.startswith("-"):
            if "=" not in word and word in values:
                next(items, None)
            continue
        names.append(word)
        if first_only:
            break
    return Install(installer, ecosystem, names=names) if names else None


# -- the decision -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    refuse: bool
    reason: str = ""


def decide(event: Mapping[str, object]) -> Decision:
    """Judge the install commands of one tool call."""
    command = _command(event)
    if command is None:
        return Decision(refuse=False)
    found = installs(command)
    if not found:
        return Decision(refuse=False)
    from depguard.config import Overrides, settings_for
    from depguard.deadline import INSTALL
    from depguard.pipeline import RunOptions, judge_dependencies
    from depguard.sources import SourceResult

    sources = SourceResult()
    for install in found:
        sources.extend(_sources(install))
    settings = settings_for(["."], Overrides())
    report = judge_dependencies(sources, settings, RunOptions(paths=(), default_deadline=INSTALL))
    return _verdict(report)


def _command(event: Mapping[str, object]) -> str | None:
    tool_input = event.get("tool_input")
    if isinstance(tool_input, Mapping):
        command = tool_input.get("command")
        return command if isinstance(command, str) else None
    command = event.get("command")  # Cursor's beforeShellExecution
    return command if isinstance(command, str) else None


def _sources(install: Install) -> SourceResult:
    from depguard import installers
    from depguard.sources import command_line

    if install.arguments:
        return installers.sources(installers.plan(install.installer, install.arguments))
    return command_line.parse(install.names, install.ecosystem)


def _verdict(report: Report) -> Decision:
    from depguard.model import Verdict
    from depguard.report.advice import look_alikes, suggestion
    from depguard.sanitize import clean

    lines: list[str] = []
    for item in report.packages:
        if item.verdict is Verdict.BLOCK:
            reason = clean(item.reason, 300).rstrip(". ")
            line = f"{clean(item.package.name, 214)}: {reason}"
            advice = suggestion(item)
            said = any(name in reason for name in look_alikes(item))
            lines.append(f"{line}. {advice}" if advice and not said else line)
    for error in report.errors:
        lines.append(f"{clean(error.path, 200)}: {clean(error.message, 300)}")
    if not lines:
        return Decision(refuse=False)
    return Decision(
        refuse=True,
        reason="depguard blocked this install: "
        + "; ".join(lines)
        + " (run 'depguard review NAME' for the evidence)",
    )


def run(stdin: bytes) -> tuple[int, str, str]:
    """The hook process: exit status, standard output, standard error."""
    try:
        event = json.loads(stdin[:INPUT_LIMIT].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return 0, "", "depguard hook: the tool call is not JSON; nothing checked\n"
    if not isinstance(event, Mapping):
        return 0, "", "depguard hook: the tool call is not a JSON object; nothing checked\n"
    decision = decide(event)
    if not decision.refuse:
        return 0, "", ""
    if event.get("hook_event_name") == "beforeShellExecution":
        # Cursor reads its decision from standard output of a hook that succeeded.
        cursor = {
            "permission": "deny",
            "userMessage": decision.reason,
            "agentMessage": decision.reason,
        }
        return 0, json.dumps(cursor) + "\n", decision.reason + "\n"
    output = {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": decision.reason,
        }
    }
    return REFUSE, json.dumps(output) + "\n", decision.reason + "\n"
