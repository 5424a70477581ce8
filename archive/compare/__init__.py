"""The faithfulness engine: normalise, align, classify changes, verdicts, best match."""

from archive.compare.engine import COMPARE_VERSION, VERDICTS, Change, Comparison, compare

__all__ = ["COMPARE_VERSION", "VERDICTS", "Change", "Comparison", "compare"]
