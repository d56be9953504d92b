"""A shop's own word lists and the Guard that applies them.

``custom`` words are flagged in that shop's checks, ``allow`` words never are. Guards are
expensive to build (rule packs compile), so one is cached per (shop, platform, words
version, model switch); every change bumps ``Shop.words_version``, which invalidates the cached
Guard in every process that reads the shop afresh. ``Shop.model_enabled`` is the shop's switch
for the learned second opinion (``Guard(model=...)``); it is part of the key, so flipping it
takes effect wherever the shop row is read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import InvalidInput, NotFound
from csguard.guard import CustomWord, Guard
from csguard.results import OUTBOUND_CATEGORIES, SEVERITY_RANK
from csguard.services._tx import transaction
from csguard.services.shops import get_shop
from csguard.settings import get_settings
from csguard.store.models import Shop, ShopWord
from csguard.vocab import WORD_KINDS

MAX_WORD_CHARS = 200
_CACHE_SIZE = 256


ShopKey = tuple[str, int]  # (database URL, shop id): ids repeat across databases
GuardKey = tuple[ShopKey, str, int, bool]  # + platform, words version, model switch


def shop_key(session: Session, shop_id: int) -> ShopKey:
    return (str(session.get_bind().engine.url), shop_id)


class GuardCache:
    """A small LRU of Guards keyed by (database, shop id, platform, words version, model switch)."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[GuardKey, Guard] = OrderedDict()
        self._latest: dict[ShopKey, int] = {}
        self._lock = threading.Lock()

    def note_version(self, shop: ShopKey, version: int) -> None:
        """Remember the newest words version this process committed for a shop."""
        with self._lock:
            self._latest[shop] = max(version, self._latest.get(shop, 0))

    def latest_version(self, shop: ShopKey) -> int:
        return self._latest.get(shop, 0)

    def get(self, key: GuardKey) -> Guard | None:
        with self._lock:
            guard = self._items.get(key)
            if guard is not None:
                self._items.move_to_end(key)
            return guard

    def put(self, key: GuardKey, guard: Guard) -> None:
        with self._lock:
            # Older versions of the same shop's words are dead weight: drop them now.
            for stale in [k for k in self._items if k[0] == key[0] and k[1] == key[1]]:
                del self._items[stale]
            self._items[key] = guard
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._latest.clear()


guard_cache = GuardCache()


def _custom_word(word: ShopWord) -> CustomWord:
    """The engine's custom word; unset category/severity keep the engine's defaults."""
    fields = {"category": word.category, "severity": word.severity}
    return CustomWord(word.word, **{k: v for k, v in fields.items() if v is not None})


def cached_guard(shop: ShopKey, platform: str, words_version: int, model_enabled: bool = True) -> Guard | None:
    """The cached Guard if this process has one at least as new as ``words_version``."""
    return guard_cache.get((shop, platform, max(words_version, guard_cache.latest_version(shop)), model_enabled))


def guard_for_shop(session: Session, shop: Shop, platform: str | None = None) -> Guard:
    """The shop's Guard (its platform unless ``platform`` is given), with its word lists applied."""
    platform = platform or shop.platform
    where = shop_key(session, shop.id)
    model_enabled = bool(shop.model_enabled)
    key = (where, platform, max(shop.words_version, guard_cache.latest_version(where)), model_enabled)
    guard = guard_cache.get(key)
    if guard is None:
        words = list_words(session, shop.id)
        guard = Guard(
            platform=platform,
            custom_words=[_custom_word(w) for w in words if w.kind == "custom"],
            allow_words=[w.word for w in words if w.kind == "allow"],
            max_chars=get_settings().max_text_chars,
            model=model_enabled,
        )
        guard_cache.put(key, guard)
    return guard


def _validate(fields: dict[str, Any]) -> dict[str, Any]:
    if "word" in fields:
        word = str(fields["word"]).strip()
        if not word or len(word) > MAX_WORD_CHARS:
            raise InvalidInput(f"word must have 1 to {MAX_WORD_CHARS} characters", details={"field": "word"})
        fields["word"] = word
    if "kind" in fields and fields["kind"] not in WORD_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(WORD_KINDS)}", details={"field": "kind"})
    category = fields.get("category")
    if category is not None and category not in OUTBOUND_CATEGORIES:
        known = ", ".join(OUTBOUND_CATEGORIES)
        raise InvalidInput(f"unknown category {category!r} (known: {known})", details={"field": "category"})
    severity = fields.get("severity")
    if severity is not None and severity not in SEVERITY_RANK:
        known = ", ".join(SEVERITY_RANK)
        raise InvalidInput(f"unknown severity {severity!r} (known: {known})", details={"field": "severity"})
    return fields


def _bump(session: Session, shop_id: int) -> Shop:
    shop = get_shop(session, shop_id)
    shop.words_version += 1
    return shop


def _changed(session: Session, shop: Shop) -> None:
    # After the commit: checks in this process see the change at once, other processes
    # when they next read the shop row.
    guard_cache.note_version(shop_key(session, shop.id), shop.words_version)


def list_words(session: Session, shop_id: int, kind: str | None = None) -> list[ShopWord]:
    query = select(ShopWord).where(ShopWord.shop_id == shop_id)
    if kind is not None:
        query = query.where(ShopWord.kind == kind)
    return list(session.scalars(query.order_by(ShopWord.kind, ShopWord.word)))


def get_word(session: Session, shop_id: int, word_id: int) -> ShopWord:
    word = session.scalars(
        select(ShopWord).where(ShopWord.shop_id == shop_id, ShopWord.id == word_id)
    ).first()
    if word is None:
        raise NotFound(f"word {word_id} does not exist", details={"word_id": word_id})
    return word


def add_word(
    session: Session,
    shop_id: int,
    word: str,
    kind: str = "custom",
    *,
    category: str | None = None,
    severity: str | None = None,
    note: str = "",
) -> ShopWord:
    values = _validate({"word": word, "kind": kind, "category": category, "severity": severity})
    row = ShopWord(shop_id=shop_id, note=note.strip(), **values)
    with transaction(session, f"{values['word']!r} is already on this shop's {kind} list"):
        session.add(row)
        shop = _bump(session, shop_id)
    _changed(session, shop)
    return row


def update_word(session: Session, shop_id: int, word_id: int, **fields: Any) -> ShopWord:
    row = get_word(session, shop_id, word_id)
    unknown = set(fields) - {"word", "kind", "category", "severity", "note"}
    if unknown:
        raise InvalidInput(
            f"unknown word fields: {', '.join(sorted(unknown))}", details={"field": sorted(unknown)[0]}
        )
    values = _validate(dict(fields))
    with transaction(session, "that word is already on this list"):
        for name, value in values.items():
            setattr(row, name, value)
        shop = _bump(session, shop_id)
    _changed(session, shop)
    return row


def delete_word(session: Session, shop_id: int, word_id: int) -> None:
    row = get_word(session, shop_id, word_id)
    with transaction(session):
        session.delete(row)
        shop = _bump(session, shop_id)
    _changed(session, shop)
