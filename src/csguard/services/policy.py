"""The policy seam: what may change a check's or a triage's result after the Guard has run.

The Guard finds; a policy decides what the finding means for this shop, agent or buyer (a
trial agent whose warnings block, a buyer on a watch list...). Policies are plugins: a
package registers one in ``policies`` like any recognizer or notifier
(``csguard.plugins``). ``policy_for`` resolves the applicable ones once per request, so the
API's hot path pays one small loop per request and nothing per message when none applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from csguard.plugins import Registry
from csguard.results import CheckResult, TriageResult

Direction = Literal["outbound", "inbound"]
# Agent -> buyer messages are checked; buyer -> agent messages are triaged.
OUTBOUND: Direction = "outbound"
INBOUND: Direction = "inbound"


@dataclass(frozen=True, slots=True)
class CheckContext:
    """Who is talking to whom, as far as the caller knows it."""

    shop_id: int
    platform: str
    agent: str | None = None
    buyer_id: str | None = None
    direction: Direction = OUTBOUND


class CheckPolicy(Protocol):
    def applies(self, context: CheckContext) -> bool:
        """Whether this policy has a say in ``context`` (asked once per request)."""
        ...

    def adjust_check(self, context: CheckContext, result: CheckResult) -> CheckResult: ...

    def adjust_triage(self, context: CheckContext, result: TriageResult) -> TriageResult: ...


class PassThrough:
    """The default: the Guard's result stands."""

    def applies(self, context: CheckContext) -> bool:
        return False  # nothing to adjust, so it never costs a per-message call

    def adjust_check(self, context: CheckContext, result: CheckResult) -> CheckResult:
        return result

    def adjust_triage(self, context: CheckContext, result: TriageResult) -> TriageResult:
        return result


policies: Registry[CheckPolicy] = Registry("check policy")
policies.register("default")(PassThrough())


@dataclass(frozen=True, slots=True)
class AppliedPolicies:
    """The policies that apply to one context, in registry (name) order."""

    context: CheckContext
    steps: tuple[CheckPolicy, ...] = ()

    def checks(self, results: list[CheckResult]) -> list[CheckResult]:
        if not self.steps:
            return results
        adjusted = []
        for result in results:
            for step in self.steps:
                result = step.adjust_check(self.context, result)
            adjusted.append(result)
        return adjusted

    def triages(self, results: list[TriageResult]) -> list[TriageResult]:
        if not self.steps:
            return results
        adjusted = []
        for result in results:
            for step in self.steps:
                result = step.adjust_triage(self.context, result)
            adjusted.append(result)
        return adjusted


def policy_for(
    shop_id: int,
    platform: str,
    *,
    agent: str | None = None,
    buyer_id: str | None = None,
    direction: Direction = OUTBOUND,
) -> AppliedPolicies:
    """The policies that apply to this shop/agent/buyer; resolve once per request, not per message."""
    context = CheckContext(shop_id, platform, agent, buyer_id, direction)
    steps: Sequence[CheckPolicy] = [p for _, p in policies.items() if p.applies(context)]
    return AppliedPolicies(context, tuple(steps))
