"""csguard: keeps e-commerce customer-service teams out of trouble with the platform."""

from csguard.errors import CsguardError
from csguard.guard import Guard
from csguard.results import CheckResult, Finding, TriageResult

__all__ = ["CheckResult", "CsguardError", "Finding", "Guard", "TriageResult"]
__version__ = "0.1.0"
