"""Options declared once, handed to commands as typed records.

A command names a record parameter (``request: Overrides``); :func:`spread` replaces it, in the
signature typer reads, by one option per field the command takes, each declared once in a table
(field name -> ``Annotated[type, typer.Option(...)]``), and calls the command with the record
filled in. The command's own parameters come first, then the shared options in table order.
A repeatable option (a list to typer) arrives as a tuple; an option not given keeps the
record's default.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Command = Callable[..., None]


@dataclass(frozen=True)
class Group:
    """The fields of ``record`` a command takes as options, in the order its help lists them."""

    record: type[DataclassInstance]
    names: tuple[str, ...]

    def without(self, *names: str) -> Group:
        return Group(self.record, tuple(n for n in self.names if n not in names))

    def plus(self, *names: str) -> Group:
        return Group(self.record, (*self.names, *names))


class Spread:
    """``command`` as typer sees it: its record parameters replaced by their options."""

    def __init__(self, command: Command, declared: Mapping[str, object], groups: dict[str, Group]):
        self.command = command
        self.groups = groups
        signature = inspect.signature(command, eval_str=True)
        own = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
            for p in signature.parameters.values()
            if p.name not in groups
        ]
        shared: dict[str, inspect.Parameter] = {}
        for group in groups.values():
            defaults = {f.name: f.default for f in dataclasses.fields(group.record)}
            for name in group.names:
                default = defaults[name]
                shared[name] = inspect.Parameter(
                    name,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=declared[name],
                    default=None if isinstance(default, tuple) else default,
                )
        order = list(declared)
        parameters = own + sorted(shared.values(), key=lambda p: order.index(p.name))
        self.__signature__ = signature.replace(parameters=parameters)
        self.__annotations__ = {p.name: p.annotation for p in parameters}
        self.__name__ = command.__name__
        self.__qualname__ = command.__qualname__
        self.__module__ = command.__module__
        self.__doc__ = command.__doc__

    def __call__(self, **values: object) -> None:
        for key, group in self.groups.items():
            given = {name: values.pop(name) for name in group.names}
            changes = {
                name: tuple(value) if isinstance(value, list) else value
                for name, value in given.items()
                if value is not None
            }
            values[key] = dataclasses.replace(group.record(), **changes)
        self.command(**values)


def spread(declared: Mapping[str, object], **groups: Group) -> Callable[[Command], Command]:
    """Decorate a command: each keyword names one of its record parameters and its options."""

    def decorate(command: Command) -> Command:
        return Spread(command, declared, groups)

    return decorate
