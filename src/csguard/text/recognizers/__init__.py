"""Built-in recognizers register themselves in ``recognizers`` like any plugin would."""

from csguard.text.recognizers import address, digits, online
from csguard.text.recognizers.base import ENTITIES, EntityHit, Recognizer, recognizers

__all__ = ["ENTITIES", "EntityHit", "Recognizer", "address", "digits", "online", "recognizers"]
