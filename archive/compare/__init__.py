"""The faithfulness engine: normalise, align, classify changes, verdicts, best match."""

from archive.compare.best_match import BestMatch, Version, best_match, pick
from archive.compare.engine import COMPARE_VERSION, VERDICTS, Change, Comparison, compare

__all__ = ["COMPARE_VERSION", "VERDICTS", "BestMatch", "Change", "Comparison", "Version",
           "best_match", "compare", "pick"]
