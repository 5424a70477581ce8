"""The faithfulness engine: normalise, align, classify passages and changes, verdicts, best match.

`compare(seed_text, original_text, page_text=...)` is the entry point (see `engine`)."""

from archive.compare.best_match import BestMatch, Version, best_match, pick
from archive.compare.engine import (
    COMPARE_VERSION,
    VERDICTS,
    Addition,
    Change,
    Comparison,
    compare,
)
from archive.compare.findings import Finding

__all__ = ["COMPARE_VERSION", "VERDICTS", "Addition", "BestMatch", "Change", "Comparison",
           "Finding", "Version", "best_match", "compare", "pick"]
