"""The shared tier: records in Redis (or Valkey), for a fleet of CI jobs.

* One pipelined round trip reads a whole run's keys (``GETRANGE`` bounds every value, so a
  planted giant cannot be pulled in whole); writes go in one pipelined batch.
* Keys are ``depguard:<schema>:<kind>|<ecosystem>|<index URL without credentials>|<name>``;
  values are our JSON records, signed with HMAC-SHA256 over key and record. The signing key is
  ``DEPGUARD_CACHE_KEY``, else the Redis password: a value written by anyone without it (or
  copied from another key) fails verification and is a miss. An open Redis (no password) and
  no ``DEPGUARD_CACHE_KEY``: nothing in it can be verified, so it is not used at all.
* Entries expire with their freshness (``EX``): the shared tier only ever serves fresh facts.
* Unreachable, slow, full (OOM) or answering garbage: one notice, and the run goes on with
  the local tier and the registries. The URL's credentials never appear in a notice.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import math
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from depguard.cache import SCHEMA, Record
from depguard.cache.disk import describe
from depguard.cache.records import MAX_RECORD, decode, encode
from depguard.indexes import redact

if TYPE_CHECKING:
    from depguard.config import Settings

CONNECT_TIMEOUT = 1.0
"""Seconds to reach the shared cache before going on without it."""
OPERATION_TIMEOUT = 1.0
"""Seconds for one pipelined read or write before going on without it."""
PREFIX = f"depguard:{SCHEMA}:"
MAGIC = b"dg1."
MAC_SIZE = 64  # hex SHA-256


def signing_key(url: str, environ: Mapping[str, str]) -> bytes | None:
    """The secret entries are signed with: ``DEPGUARD_CACHE_KEY``, else the Redis password."""
    secret = environ.get("DEPGUARD_CACHE_KEY") or ""
    if not secret:
        password = urlsplit(url).password
        secret = unquote(password) if password else environ.get("REDIS_PASSWORD", "")
    if not secret:
        return None
    return hashlib.sha256(b"depguard shared cache\0" + secret.encode()).digest()


def seal(secret: bytes, key: str, record: Record) -> bytes | None:
    body = encode(record)
    if len(body) > MAX_RECORD:
        return None
    mac = hmac.new(secret, PREFIX.encode() + key.encode() + b"\n" + body, hashlib.sha256)
    return MAGIC + mac.hexdigest().encode() + b"." + body


def unseal(secret: bytes, key: str, raw: object, now: datetime) -> Record | None:
    """The record in ``raw`` if depguard wrote it under ``key`` with this secret, and fresh."""
    if not isinstance(raw, bytes) or len(raw) > MAX_RECORD + len(MAGIC) + MAC_SIZE + 1:
        return None
    if not raw.startswith(MAGIC) or raw[len(MAGIC) + MAC_SIZE : len(MAGIC) + MAC_SIZE + 1] != b".":
        return None
    mac = raw[len(MAGIC) : len(MAGIC) + MAC_SIZE]
    body = raw[len(MAGIC) + MAC_SIZE + 1 :]
    expected = hmac.new(secret, PREFIX.encode() + key.encode() + b"\n" + body, hashlib.sha256)
    if not hmac.compare_digest(mac, expected.hexdigest().encode()):
        return None
    record = decode(body, now)
    return record if record is not None and record.fresh(now) else None


class RedisStore:
    """A shared store. Never raises; the first failure turns it off for the rest of the run."""

    def __init__(
        self, url: str, settings: Settings, environ: Mapping[str, str] | None = None
    ) -> None:
        environ = os.environ if environ is None else environ
        self.url = url
        self.label = redact(url.partition("?")[0])  # options (even secrets) may sit in the query
        self._env_password = environ.get("REDIS_PASSWORD") or ""
        self._password = unquote(urlsplit(url).password or "") or self._env_password
        self._secret = signing_key(url, environ)
        self._client: Any = None
        self._problem: str | None = None
        self._notes: list[str] = []
        self.hits = 0
        self.rejected = 0
        if self._secret is None:
            self._problem = (
                f"shared cache {self.label} not used: nothing it holds could be verified "
                "(set DEPGUARD_CACHE_KEY, or use a Redis with a password)"
            )

    @property
    def directory(self) -> Path | None:
        return None

    @property
    def usable(self) -> bool:
        return self._problem is None

    def notices(self) -> list[str]:
        notes = list(self._notes)
        if self.rejected:
            notes.append(
                f"shared cache {self.label}: {self.rejected} entr"
                f"{'y' if self.rejected == 1 else 'ies'} failed verification and "
                "were ignored"
            )
        if self._problem:
            notes.insert(0, self._problem)
        return notes

    def _fail(self, doing: str, exc: BaseException) -> None:
        text = describe(exc)
        if self._password:
            text = text.replace(self._password, "***")
        self._problem = f"shared cache {self.label} bypassed: cannot {doing}: {text}"
        self.close()

    def _connect(self) -> Any:
        if self._client is None:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            options: dict[str, Any] = {
                "socket_connect_timeout": CONNECT_TIMEOUT,
                "socket_timeout": OPERATION_TIMEOUT,
                "retry": Retry(NoBackoff(), 0),
                "health_check_interval": 0,
                "decode_responses": False,
            }
            if self._env_password and not urlsplit(self.url).password:
                options["password"] = self._env_password
            self._client = redis.Redis.from_url(self.url, **options)
        return self._client

    def get_many(self, keys: Sequence[str], now: datetime) -> dict[str, Record]:
        if not keys or self._problem is not None or self._secret is None:
            return {}
        try:
            client = self._connect()
            pipe = client.pipeline(transaction=False)
            for key in keys:
                pipe.getrange(PREFIX + key, 0, MAX_RECORD + len(MAGIC) + MAC_SIZE)
            answers = pipe.execute(raise_on_error=False)
        except Exception as exc:  # redis.RedisError, OSError, a bad URL...
            self._fail("read", exc)
            return {}
        found: dict[str, Record] = {}
        for key, raw in zip(keys, answers, strict=True):
            if isinstance(raw, Exception) or raw in (None, b""):
                continue
            record = unseal(self._secret, key, raw, now)
            if record is None:
                self.rejected += 1
            else:
                found[key] = record
        self.hits += len(found)
        return found

    def put_many(self, records: Mapping[str, Record], now: datetime) -> None:
        if not records or self._problem is not None or self._secret is None:
            return
        try:
            client = self._connect()
            pipe = client.pipeline(transaction=False)
            queued = 0
            for key, record in records.items():
                seconds = math.ceil(record.remaining(now))
                value = seal(self._secret, key, record)
                if seconds <= 0 or value is None:
                    continue
                pipe.set(PREFIX + key, value, ex=seconds)
                queued += 1
            if not queued:
                return
            answers = pipe.execute(raise_on_error=False)
        except Exception as exc:
            self._fail("write", exc)
            return
        errors = [a for a in answers if isinstance(a, Exception)]
        if errors:
            self._notes.append(
                f"shared cache {self.label}: {len(errors)} of {queued} entries not written "
                f"({describe(errors[0])})"
            )

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):  # a broken connection must not fail a run
                self._client.close()
            self._client = None
