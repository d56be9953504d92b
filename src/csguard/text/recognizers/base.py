"""The recognizer interface (Presidio-style): one small class per kind of entity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from csguard.plugins import Registry
from csguard.text.normalize import Normalized

ENTITIES = ("phone", "landline", "qq", "wechat_id", "url", "email", "id_card", "bank_card", "address")


@dataclass(slots=True)  # not frozen: built per hit, and a frozen dataclass costs 4x to construct
class EntityHit:
    """An entity found in a message; ``start``/``end`` are ORIGINAL-text coordinates."""

    entity: str
    start: int
    end: int
    value: str
    explanation: str


class Recognizer(Protocol):
    entity: ClassVar[str]

    def analyze(self, norm: Normalized) -> list[EntityHit]: ...


recognizers: Registry[type[Recognizer]] = Registry("recognizer")
