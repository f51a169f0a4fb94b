"""Make registry and input text safe to print.

Registry text (summaries, author and maintainer names, URLs, yank reasons, scripts) is written by
whoever published the package. Before it reaches a terminal or a report it loses ANSI escape
sequences, C0/C1 control characters, carriage returns and Unicode bidi/format controls, and is
bounded in length. Output formats add their own escaping (SARIF/JSON by the encoder, Markdown and
workflow commands in their modules).
"""

from __future__ import annotations

import re
import unicodedata

# CSI, OSC, and other escape sequences, plus single C0/C1 controls and DEL.
_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]         # CSI ... final byte
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL or ST
  | \x1b[P^_X][^\x1b]*(?:\x1b\\)?   # DCS/PM/APC/SOS ... ST
  | \x1b[@-Z\\-_]                   # two-byte escapes
  | \x9b[0-?]*[ -/]*[@-~]           # 8-bit CSI
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides/isolates and other invisible format characters (Cf).
_BIDI = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

DEFAULT_LIMIT = 300
# user:password@ (or a lone token@) in a URL: credentials are never printed, wherever they
# came from (an installer's --index-url, a line of a requirements file, a registry's answer).
_USERINFO = re.compile(
    r"(\b(?:[a-zA-Z][a-zA-Z0-9+.-]*\+)?https?://)[^/@\s]+@"  # http(s): a token alone too
    r"|(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s:]+:[^/@\s]+@"  # any scheme: user:password
)


def clean(text: object, limit: int | None = DEFAULT_LIMIT, *, multiline: bool = False) -> str:
    """Printable text: no escapes or controls, one line unless ``multiline``, at most ``limit``."""
    if text is None:
        return ""
    value = str(text)
    value = _ANSI.sub("", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = "\n".join(_CONTROL.sub("", line.replace("\t", " ")) for line in value.split("\n"))
    else:
        value = _CONTROL.sub(" ", value.replace("\r", " ").replace("\n", " ").replace("\t", " "))
        value = re.sub(r" {2,}", " ", value).strip()
    value = _BIDI.sub("", value)
    value = _USERINFO.sub(lambda m: f"{m.group(1) or m.group(2)}***@", value)
    if not value.isascii():  # ASCII has no format characters: the common case costs nothing
        value = "".join(
            ch for ch in value if not (unicodedata.category(ch) == "Cf" and ch not in "\u00ad")
        )
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value
