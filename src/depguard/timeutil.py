"""Timestamps from registries: parsed leniently, always timezone-aware UTC."""

from __future__ import annotations

from datetime import datetime, timezone


def parse_timestamp(value: object) -> datetime | None:
    """Parse an ISO-8601 timestamp as registries write it; None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def age_in_days(when: datetime, now: datetime) -> float:
    return (now - when).total_seconds() / 86400.0


def describe_age(days: float) -> str:
    """'4 days', '3 months', '6 years': coarse and readable."""
    if days < 1:
        hours = max(1, round(days * 24))
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if days < 60:
        n = round(days)
        return f"{n} day{'s' if n != 1 else ''}"
    if days < 730:
        n = round(days / 30.4)
        return f"{n} months"
    n = round(days / 365.25)
    return f"{n} years"
