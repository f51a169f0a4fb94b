"""Records as bytes: JSON of our own fields, never pickle, size-bounded; anything else is a miss."""

from __future__ import annotations

import json
import math
from datetime import datetime

from depguard.cache import Record
from depguard.timeutil import parse_timestamp

MAX_RECORD = 1024 * 1024
"""The largest record read or written (the facts of the biggest projects are a few hundred KB)."""


def encode(record: Record) -> bytes:
    data = {"fetched_at": record.fetched_at.isoformat(), "ttl": record.ttl, "value": record.value}
    return json.dumps(data, separators=(",", ":")).encode()


def decode(raw: object, now: datetime | None = None) -> Record | None:
    """The record in ``raw``, or None when it is not one of ours (damaged, foreign, too big,
    or dated in the future when ``now`` is given)."""
    if isinstance(raw, str):
        raw = raw.encode()
    if not isinstance(raw, (bytes, bytearray)) or len(raw) > MAX_RECORD:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != {"fetched_at", "ttl", "value"}:
        return None
    fetched = parse_timestamp(data["fetched_at"])
    ttl = data["ttl"]
    if fetched is None or isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        return None
    if not math.isfinite(ttl) or ttl < 0:
        return None
    if now is not None and fetched > now:
        return None
    return Record(data["value"], fetched, float(ttl))
