"""Text normalization with an offset map back to the original, the matcher and recognizers."""

from csguard.text.normalize import Normalized, normalize, normalize_term

__all__ = ["Normalized", "normalize", "normalize_term"]
