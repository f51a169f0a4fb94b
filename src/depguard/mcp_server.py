"""``depguard mcp``: a stdio Model Context Protocol server for AI coding assistants.

Built on the official ``mcp`` SDK. Three tools, with names agent configurations can rely on:
``check_packages``, ``review_package`` and ``check_path``. Each answers with the JSON contract's
objects and a one-line ``summary``. A malformed call is an MCP error for that call (the SDK
validates arguments against the tools' schemas; our own refusals raise :class:`ToolError`); the
server keeps answering.
"""

# The SDK reads the tools' signatures at run time: no postponed annotations here, and what they
# name is imported at module level (this module is imported only by ``depguard mcp``).
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from depguard import __version__
from depguard.assistant import MAX_NAMES, Assistant, Refused
from depguard.errors import UsageError
from depguard.model import Ecosystem, JSONValue

INSTRUCTIONS = (
    "depguard stops hallucinated, typosquatted and squatted dependencies. Before you add, import "
    "or install a PyPI or npm package you have not verified in this session, call check_packages "
    "with its name. If the verdict is 'block', do not use the package: use the suggested_name if "
    "there is one, or tell the user. 'warn' means read the reason and say it to the user."
)

CHECK_PACKAGES = (
    "Call this BEFORE you add, import or install a package you have not verified (pip install, "
    "uv add, poetry add, npm install, a new line in requirements.txt, pyproject.toml or "
    "package.json, or an import of a third-party module). Judges each name (optionally with a "
    "version specifier: 'requests>=2', 'express@^4') against the package index, the team "
    f"allowlist and squatting signals. At most {MAX_NAMES} names a call. Returns, per package, "
    "verdict (allow/warn/block), risk 0-100, reason, findings, and suggested_name when the name "
    "looks like a typo or hallucination of a real package. Never use a blocked package."
)
REVIEW_PACKAGE = (
    "Show the evidence about one package before you recommend or install it: age, releases, "
    "maintainers, repository, downloads, files, look-alikes, and the packages installing it "
    "brings in (each judged), with the verdict. Use when check_packages warned, or when the user "
    "asks whether a package is safe or real."
)
CHECK_PATH = (
    "Check every dependency of a manifest, lockfile or directory inside the project (declared, "
    "locked or only imported in code), as 'depguard check PATH' does. Use after editing "
    "requirements.txt, pyproject.toml, package.json or a lockfile, or before committing. The "
    "path is relative to the project root; paths outside it are refused."
)

EcosystemName = Literal["pypi", "npm"]


def build(root: Path) -> MCPServer:
    """The server for the working tree ``root`` (tools registered, not yet running)."""
    service = Assistant(root)
    server = MCPServer("depguard", instructions=INSTRUCTIONS, version=__version__)

    def answer(run: Callable[..., dict[str, JSONValue]], *args: object) -> dict[str, JSONValue]:
        try:
            return run(*args)
        except Refused as refused:
            raise ToolError(str(refused)) from None
        except UsageError as error:
            raise ToolError(f"cannot check: {error}") from None

    Ecosystems = Annotated[EcosystemName, Field(description="The package index: pypi or npm.")]

    @server.tool(description=CHECK_PACKAGES)
    def check_packages(
        packages: Annotated[
            list[str],
            Field(
                description="Package names, optionally with a version specifier.",
                min_length=1,
                max_length=MAX_NAMES,
            ),
        ],
        ecosystem: Ecosystems = "pypi",
    ) -> dict[str, JSONValue]:
        return answer(service.check_packages, packages, Ecosystem(ecosystem))

    @server.tool(description=REVIEW_PACKAGE)
    def review_package(
        name: Annotated[str, Field(description="One package name, optionally with a version.")],
        ecosystem: Ecosystems = "pypi",
    ) -> dict[str, JSONValue]:
        return answer(service.review_package, name, Ecosystem(ecosystem))

    @server.tool(description=CHECK_PATH)
    def check_path(
        path: Annotated[
            str, Field(description="A manifest, lockfile or directory, relative to the project.")
        ] = ".",
    ) -> dict[str, JSONValue]:
        return answer(service.check_path, path)

    return server


def serve(root: Path) -> None:
    """Run the server on standard input and output until the client closes them."""
    build(root).run("stdio")
