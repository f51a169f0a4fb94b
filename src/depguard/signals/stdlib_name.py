"""A manifest that requests a standard-library module (or a Node.js built-in) by name.

The real module needs no installation; the index serves somebody else's package under its name
(``urllib`` and ``crypt`` were registered as typosquats of this mistake). Popular backports on
the index (``dataclasses``, ``typing``, ``argparse``; ``events``, ``buffer`` on npm) are what
the popularity snapshot says they are, and are not reported.

The names are those of every Python version depguard knows (``data/stdlib-modules.tsv``) and the
Python 2 names most often copied from old code, or Node.js's built-ins (``data/node-builtins.txt``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_popular
from depguard.model import Ecosystem, Evidence, Finding, NamedIn
from depguard.names import normalize
from depguard.sanitize import clean
from depguard.signals import Context

PYTHON2 = (
    "BaseHTTPServer",
    "CGIHTTPServer",
    "ConfigParser",
    "Cookie",
    "HTMLParser",
    "Queue",
    "SimpleHTTPServer",
    "SocketServer",
    "StringIO",
    "Tkinter",
    "UserDict",
    "commands",
    "cookielib",
    "cPickle",
    "cStringIO",
    "htmlentitydefs",
    "httplib",
    "md5",
    "robotparser",
    "sets",
    "sha",
    "thread",
    "urllib2",
    "urlparse",
    "xmlrpclib",
)
RUNTIME = {Ecosystem.PYPI: "the Python standard library", Ecosystem.NPM: "Node.js's built-ins"}


@functools.cache
def _names(ecosystem: Ecosystem) -> dict[str, str]:
    """Normalized name -> module name, public modules only."""
    if ecosystem is Ecosystem.PYPI:
        from depguard import stdlib

        modules = set(PYTHON2).union(*(stdlib.modules(v) for v in stdlib.known_versions()))
        modules |= stdlib.modules()
    else:
        from depguard.sources.js_imports import builtin_modules

        modules = set(builtin_modules())
    return {normalize(ecosystem, m): m for m in sorted(modules) if not m.startswith("_")}


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if package.ecosystem not in RUNTIME or not package.from_index:
        return
    module = _names(package.ecosystem).get(package.normalized)
    if module is None or is_popular(evidence):
        return
    if all(dep.named_in is NamedIn.IMPORT for dep in package.dependencies):
        return  # an import of the module itself is not a dependency
    yield F.STDLIB_NAME.make(
        f"`{clean(module, 60)}` is part of {RUNTIME[package.ecosystem]}: remove it from the "
        "manifest",
        module=module,
        runtime=RUNTIME[package.ecosystem],
    )
