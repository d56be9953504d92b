"""Types of the C extension built from csrc/ (see engine/speedups.py)."""

F_TERM: int
F_FIRST: int
F_THEN: int
F_ALLOW: int
F_THIRD_PARTY: int
T_ADDRESS: int
T_HANDLE: int
T_URL: int
T_ALWAYS: int
E_DIGITS: int
E_EMAIL: int

def digit_runs(folded: str, /) -> list[tuple[int, int, str, bool]]: ...

class Folder:
    def __init__(self, table: dict[int, str]) -> None: ...
    def normalize(self, text: str, /) -> tuple[str, str, list[int]]: ...
    def compact(self, text: str, /) -> str: ...

class Scanner:
    states: int
    def __init__(self, folder: Folder, patterns: list[str], flags: list[int], entities: int, two_way: str) -> None: ...
    def scan(self, text: str, /) -> tuple[str, str, list[int], list[tuple[int, int, int]], bool] | None: ...
    def find(self, compact: str, /) -> list[tuple[int, int, int]]: ...
