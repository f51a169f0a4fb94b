"""`depguard mcp` and `depguard hook`: what an AI assistant asks, through the real transports.

The MCP server runs as a subprocess and is spoken to with the official SDK's own client over
stdio, against the loopback registry. The hook gets tool calls in the JSON the assistants send.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from depguard.agent_hook import installs
from depguard.model import Ecosystem

Session = Callable[[ClientSession], Awaitable[None]]


def talk(env: dict[str, str], cwd: Path, script: Session) -> None:
    """Start ``depguard mcp`` in ``cwd`` and run ``script`` against it."""
    server = StdioServerParameters(
        command=sys.executable, args=["-m", "depguard", "mcp"], env=env, cwd=str(cwd)
    )

    async def main() -> None:
        with Path(cwd.parent / "mcp-stderr.log").open("w") as errlog:
            async with (
                stdio_client(server, errlog=errlog) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                with anyio.fail_after(60):
                    await script(session)

    anyio.run(main)


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data = result.structured_content
    assert isinstance(data, dict)
    return data


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in data["packages"]}


def test_tools_are_listed_with_their_names(env: dict[str, str], workdir: Path) -> None:
    async def script(session: ClientSession) -> None:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == {"check_packages", "review_package", "check_path"}
        description = (tools["check_packages"].description or "").lower()
        assert "before you add, import or install" in description
        schema = tools["check_packages"].input_schema
        assert schema["properties"]["packages"]["type"] == "array"
        assert schema["required"] == ["packages"]

    talk(env, workdir, script)


def test_check_packages_blocks_a_typo_and_suggests_the_real_name(
    env: dict[str, str], workdir: Path
) -> None:
    async def script(session: ClientSession) -> None:
        data = structured(
            await session.call_tool("check_packages", {"packages": ["requsets", "requests"]})
        )
        packages = by_name(data)
        assert packages["requsets"]["verdict"] == "block"
        assert packages["requsets"]["suggested_name"] == "requests"
        assert "not-found" in [f["id"] for f in packages["requsets"]["findings"]]
        assert packages["requests"]["verdict"] == "allow"
        assert packages["requests"]["suggested_name"] is None
        assert data["summary_line"].startswith("Do not use the blocked packages. 1 blocked")
        assert "requsets: block" in data["summary_line"]
        # the text content carries the same object for clients without structured output
        again = await session.call_tool("check_packages", {"packages": ["requests"]})
        text = json.loads(data_text(again))
        assert text["packages"][0]["verdict"] == "allow"

    talk(env, workdir, script)


def data_text(result: Any) -> str:
    return "".join(part.text for part in result.content if part.type == "text")


def test_npm_names_with_ranges(env: dict[str, str], workdir: Path) -> None:
    async def script(session: ClientSession) -> None:
        data = structured(
            await session.call_tool(
                "check_packages", {"packages": ["is-number@^7", "expresss"], "ecosystem": "npm"}
            )
        )
        packages = by_name(data)
        assert packages["is-number"]["verdict"] == "allow"
        assert packages["is-number"]["specifier"] == "^7"
        assert packages["expresss"]["verdict"] == "block"
        assert packages["expresss"]["suggested_name"] == "express"

    talk(env, workdir, script)


def test_bad_calls_are_errors_and_the_server_keeps_answering(
    env: dict[str, str], workdir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "requirements.txt").write_text("requests\n")

    async def script(session: ClientSession) -> None:
        for name, arguments in (
            ("check_packages", {"packages": "requests"}),
            ("check_packages", {}),
            ("check_packages", {"packages": [f"name{i}" for i in range(201)]}),
            ("check_packages", {"packages": ["requests"], "ecosystem": "cargo"}),
            ("check_path", {"path": str(outside)}),
            ("check_path", {"path": "../elsewhere/requirements.txt"}),
            ("review_package", {"name": 7}),
            ("no_such_tool", {}),
        ):
            result = await session.call_tool(name, arguments)
            assert result.is_error, (name, arguments)
        refused = await session.call_tool("check_path", {"path": str(outside)})
        assert "outside the working tree" in data_text(refused)
        data = structured(await session.call_tool("check_packages", {"packages": ["requests"]}))
        assert by_name(data)["requests"]["verdict"] == "allow"

    talk(env, workdir, script)


def test_check_path_and_review(env: dict[str, str], workdir: Path) -> None:
    (workdir / "requirements.txt").write_text("requests==2.32.3\ncolourama\n")

    async def script(session: ClientSession) -> None:
        data = structured(await session.call_tool("check_path", {"path": "requirements.txt"}))
        assert data["schema"] == 1
        packages = by_name(data)
        assert packages["colourama"]["verdict"] == "block"
        assert packages["colourama"]["locations"][0]["line"] == 2
        assert data["summary"]["block"] == 1
        everything = structured(await session.call_tool("check_path", {}))
        assert "colourama" in by_name(everything)

        review = structured(await session.call_tool("review_package", {"name": "requests"}))
        requests = by_name(review)["requests"]
        assert requests["verdict"] == "allow"
        metadata = requests["metadata"]
        assert metadata["exists"] is True
        assert metadata["maintainers"]
        assert metadata["repository"] == "https://github.com/psf/requests"
        assert metadata["created"].startswith("2011-02-14")

    talk(env, workdir, script)


# -- the hook -----------------------------------------------------------------------------------


def claude_call(command: str, cwd: Path) -> str:
    return json.dumps(
        {
            "session_id": "abc123",
            "transcript_path": "/tmp/transcript.jsonl",
            "cwd": str(cwd),
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "Install a package"},
            "tool_use_id": "toolu_01",
        }
    )


def test_hook_refuses_a_blocked_install(depguard, workdir: Path) -> None:
    result = depguard("hook", stdin=claude_call("pip install colourama", workdir))
    assert result.code == 2
    decision = json.loads(result.out)["hookSpecificOutput"]
    assert decision["hookEventName"] == "PreToolUse"
    assert decision["permissionDecision"] == "deny"
    assert "colourama" in decision["permissionDecisionReason"]
    assert "colorama" in result.err


def test_hook_lets_a_good_install_through(depguard, workdir: Path) -> None:
    result = depguard("hook", stdin=claude_call("pip install colorama", workdir))
    assert (result.code, result.out) == (0, "")


def test_hook_reads_chained_commands_and_other_installers(depguard, workdir: Path) -> None:
    line = "cd app && uv add 'requests>=2' colourama; echo done"
    result = depguard("hook", stdin=claude_call(line, workdir))
    assert result.code == 2
    assert "colourama" in json.loads(result.out)["hookSpecificOutput"]["permissionDecisionReason"]
    npm = depguard("hook", stdin=claude_call("npm i --save-dev expresss", workdir))
    assert npm.code == 2
    assert "express" in npm.err


def test_hook_ignores_other_tools_and_bad_input(depguard, workdir: Path) -> None:
    edit = json.dumps(
        {"hook_event_name": "PreToolUse", "tool_name": "Edit", "tool_input": {"file_path": "x"}}
    )
    assert depguard("hook", stdin=edit).code == 0
    assert depguard("hook", stdin=claude_call("ls -la", workdir)).out == ""
    garbage = depguard("hook", stdin="{not json")
    assert garbage.code == 0
    assert "not JSON" in garbage.err


def test_hook_answers_cursor_in_its_format(depguard, workdir: Path) -> None:
    call = json.dumps(
        {"hook_event_name": "beforeShellExecution", "command": "pip3 install colourama", "cwd": "."}
    )
    result = depguard("hook", stdin=call)
    assert result.code == 0
    assert json.loads(result.out)["permission"] == "deny"


def hook_process(command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The way Claude Code runs the hook: a process, the call on standard input."""
    return subprocess.run(
        [sys.executable, "-m", "depguard", "hook"],
        input=claude_call(command, cwd),
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_hook_as_a_process(env: dict[str, str], workdir: Path) -> None:
    environment = {**env, "PATH": "/usr/bin:/bin", "HOME": str(workdir)}
    done = hook_process("python3 -m pip install -U colourama", environment, workdir)
    assert done.returncode == 2, done.stderr
    assert "colourama" in done.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pip install requests", [("pip", ["install", "requests"])]),
        ("sudo -H pip3.12 install -r req.txt", [("pip", ["install", "-r", "req.txt"])]),
        ("FOO=1 python -m pip install x", [("pip", ["install", "x"])]),
        ("uv pip install 'a>=1' b", [("pip", ["install", "a>=1", "b"])]),
        ("uv add --group dev pytest ruff", [("uv", ["pytest", "ruff"])]),
        ("poetry add -G dev black@^24", [("poetry", ["black@^24"])]),
        ("uvx ruff check .", [("uvx", ["ruff"])]),
        ("pipx run --spec x black", [("pipx", ["black"])]),
        ("npm install", [("npm", ["install"])]),
        ("pnpm add -D vite && yarn add react", [("pnpm", ["vite"]), ("yarn", ["react"])]),
        ("npx create-react-app my-app", [("npx", ["create-react-app"])]),
        ("pip list; pip download x; npm run build", []),
        ("echo 'pip install x'", []),
        ("pip install 'unbalanced", []),
    ],
)
def test_install_commands_are_found(line: str, expected: list[tuple[str, list[str]]]) -> None:
    found = [(i.installer, i.arguments or i.names) for i in installs(line)]
    assert found == expected


def test_ecosystems_of_installers() -> None:
    assert [i.ecosystem for i in installs("pip install a && bun add b")] == [
        Ecosystem.PYPI,
        Ecosystem.NPM,
    ]


@pytest.mark.live
def test_live_check_packages_and_hook(tmp_path: Path) -> None:
    """Against the real index: the SDK's client asks, the hook refuses (structure only)."""
    import os

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DEPGUARD_") and not key.lower().startswith("npm_config_")
    }
    env["DEPGUARD_CACHE_DIR"] = str(tmp_path / "live-cache")
    work = tmp_path / "work"
    work.mkdir()

    async def script(session: ClientSession) -> None:
        data = structured(
            await session.call_tool("check_packages", {"packages": ["requsets", "requests"]})
        )
        packages = by_name(data)
        assert packages["requsets"]["verdict"] == "block"
        assert packages["requsets"]["suggested_name"] == "requests"
        assert packages["requests"]["verdict"] == "allow"

    talk(env, work, script)
    for command, status in (("pip install colourama", 2), ("pip install colorama", 0)):
        done = hook_process(command, env, work)
        assert done.returncode == status, (command, done.stdout, done.stderr)
