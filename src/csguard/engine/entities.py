"""Which rules an entity (a phone number, an address, a handle …) breaks: attribution by context.

A phone number is diversion when it is the agent's own ("加我电话…") and a privacy leak when it is
someone else's ("她电话…", "收件人何静 电话…"); the nearest context marker before it, or a person's
name right before it, decides.
"""

from __future__ import annotations

from csguard.engine.candidates import Candidate
from csguard.engine.compiled import CompiledRules
from csguard.engine.context import named_person_before
from csguard.text.normalize import Normalized
from csguard.text.recognizers import EntityHit

# How far back (original characters) a context marker still attributes an entity.
_CONTEXT_WINDOW = 24


def entity_candidates(
    c: CompiledRules,
    norm: Normalized,
    entities: dict[str, list[EntityHit]],
    markers: list[tuple[int, int, str]],
) -> list[Candidate]:
    """Candidates from recognizer hits, attributed by the context markers before them."""
    out: list[Candidate] = []
    present = {name for name, hits in entities.items() if hits}
    for entity, hits in entities.items():  # in rule order, like c.entity_rules
        if not hits:
            continue
        contextual = entity in c.contextual_entities
        others = present - {entity}
        for hit in hits:
            nearest = _nearest_context(norm, entity, hit, markers) if contextual else None
            context = nearest[1] if nearest is not None else None
            for rule_i in c.entity_rules[entity]:
                spec = c.rules[rule_i].entity
                assert spec is not None
                if spec.own_domains_ok and any(d in hit.value for d in c.own_domains):
                    continue
                if (spec.when or spec.with_entities) and not (
                    context in spec.when or not others.isdisjoint(spec.with_entities)
                ):
                    continue
                if context in spec.unless or not others.isdisjoint(spec.unless_entities):
                    continue
                out.append(Candidate(rule_i, hit.start, hit.end, None, hit))
    return out


def _nearest_context(
    norm: Normalized, entity: str, hit: EntityHit, markers: list[tuple[int, int, str]]
) -> tuple[int, str] | None:
    """The context marker closest before an entity; a person's name right before it counts as third party."""
    nearest = None
    for ms, me, name in markers:
        if me <= hit.start + 1 and hit.start - me <= _CONTEXT_WINDOW and (nearest is None or ms > nearest[0]):
            nearest = (ms, name)
    third_party = nearest is not None and nearest[1] == "third_party"
    if not third_party and entity in _NAMED_ENTITIES and named_person_before(norm.original, hit.start):
        nearest = (hit.start, "third_party")
    return nearest


_NAMED_ENTITIES = ("phone", "bank_card", "landline", "address")
