"""Types of the C extension csguard._model (csrc/model.c); csguard.model.scorer is its Python twin."""

from collections.abc import Sequence

class Table:
    def __init__(
        self,
        weights: bytes,
        nheads: int,
        bits: int,
        nmin: int,
        nmax: int,
        thresholds: Sequence[float],
        min_chars: int = 0,
    ) -> None: ...
    def raw(self, compact: str, /) -> tuple[tuple[int, ...], int]: ...
    def values(self, compact: str, /) -> tuple[float, ...]: ...
    def score(self, compact: str, /) -> tuple[float, ...] | None: ...
