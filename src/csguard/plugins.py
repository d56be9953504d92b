"""The one extension seam: named registries filled by built-ins and by entry points.

Built-in recognizers, notifiers and importers register themselves exactly like a
third-party package does (Datasette's rule: no private back door for built-ins). A
third-party package declares ``[project.entry-points."csguard.plugins"] name = "pkg.module"``;
importing that module runs its ``@registry.register`` decorators.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from csguard.errors import ConfigError

T = TypeVar("T")

_ENTRY_POINT_GROUP = "csguard.plugins"
_plugins_loaded = False


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def decorator(obj: T) -> T:
            if name in self._items and self._items[name] is not obj:
                raise ConfigError(f"{self.kind} {name!r} is registered twice", details={"name": name})
            self._items[name] = obj
            return obj

        return decorator

    def get(self, name: str) -> T:
        load_plugins()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise ConfigError(f"unknown {self.kind} {name!r} (known: {known})", details={"name": name}) from None

    def names(self) -> list[str]:
        load_plugins()
        return sorted(self._items)

    def items(self) -> Iterator[tuple[str, T]]:
        load_plugins()
        yield from sorted(self._items.items())


def load_plugins() -> None:
    """Import every module named by a ``csguard.plugins`` entry point (once per process)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in entry_points(group=_ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:  # a broken plugin must fail loudly, naming itself
            raise ConfigError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
