"""Credentials for private indexes, read at the edge, just before the first request.

Only three places are read: the environment (userinfo in ``DEPGUARD_PRIVATE_INDEX_URL`` or
``--private-index-url``, or the variables an index names), ``~/.netrc`` (or ``$NETRC``; never
one inside the checked tree) and a keyring-style helper (``keyring get <url> <username>``, the
protocol pip and uv use). The result is an ``Authorization`` header value: it goes into request
headers only, never into a URL, a cache key, a log or a message.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from depguard.indexes import Index
from depguard.model import Ecosystem

KEYRING_TIMEOUT = 10.0


def authorization(
    index: Index, environ: Mapping[str, str] | None = None, root: Path | None = None
) -> str | None:
    """The ``Authorization`` header for ``index``, or None when none is known."""
    env = os.environ if environ is None else environ
    creds = index.credentials
    if creds.userinfo is not None:
        return _basic(*creds.userinfo)
    token = env.get(creds.token_env) if creds.token_env else None
    if token:
        if index.ecosystem is Ecosystem.NPM:
            return f"Bearer {token}"
        return _basic("__token__", token)
    user = env.get(creds.username_env) if creds.username_env else None
    password = env.get(creds.password_env) if creds.password_env else None
    if creds.keyring and password is None:
        password = _keyring(index.url, user or "__token__")
        if password is not None and user is None:
            user = "__token__"
    if user is not None or password is not None:
        return _basic(user or "", password or "")
    if creds.netrc:
        found = _netrc(index.url, env, root)
        if found is not None:
            return _basic(*found)
    return None


def _basic(user: str, password: str) -> str:
    raw = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _netrc(url: str, env: Mapping[str, str], root: Path | None) -> tuple[str, str] | None:
    import netrc

    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    configured = env.get("NETRC")
    if configured:
        path = Path(configured)
    else:
        try:
            path = Path.home() / ".netrc"
        except (RuntimeError, KeyError):
            return None
    try:
        resolved = path.resolve()
        if root is not None and resolved.is_relative_to(root.resolve()):
            return None  # a file of the checked tree is never a source of credentials
        if not resolved.is_file():
            return None
        entry = netrc.netrc(str(resolved)).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None
    if entry is None:
        return None
    login, _account, password = entry
    return (login or "", password or "")


def _keyring(url: str, username: str) -> str | None:
    """Ask a keyring-style helper on PATH: ``keyring get URL USERNAME`` prints the password."""
    executable = shutil.which("keyring")
    if executable is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [executable, "get", url, username],
            capture_output=True,
            timeout=KEYRING_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    password = done.stdout.decode("utf-8", "replace").strip()
    return password or None
