"""Which locked packages are direct, and through which chain the others are brought in.

A lockfile records a dependency graph: the project's own dependencies, and for each locked
package the packages it needs. A breadth-first walk from the direct ones gives every reachable
package its shortest chain (``via``); ties are broken by name so the result is stable.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)

MAX_CHAIN = 64
"""Longer chains are cut (a lock is never that deep; a hostile one may claim to be)."""


def chains(
    roots: Iterable[Node],
    edges: Callable[[Node], Iterable[Node]] | Mapping[Node, Iterable[Node]],
    name: Callable[[Node], str],
) -> dict[Node, tuple[str, ...]]:
    """For every node reachable from ``roots``: the names on the shortest path from a root
    down to the node's parent (empty for a root itself). Cycles are harmless."""
    follow: Callable[[Node], Iterable[Node]]
    if isinstance(edges, Mapping):
        table = edges
        follow = lambda node: table.get(node, ())  # noqa: E731
    else:
        follow = edges
    found: dict[Node, tuple[str, ...]] = {}
    queue: deque[Node] = deque()
    for root in sorted(set(roots), key=name):
        found[root] = ()
        queue.append(root)
    while queue:
        node = queue.popleft()
        chain = found[node]
        if len(chain) >= MAX_CHAIN:
            continue
        here = (*chain, name(node))
        for child in sorted(set(follow(node)), key=name):
            if child not in found:
                found[child] = here
                queue.append(child)
    return found
