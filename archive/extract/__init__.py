"""Extraction: a captured page's article text, its full visible text, metadata and page kind."""

from archive.extract.article import EXTRACTOR_VERSION, Extracted, extract, extract_payload

__all__ = ["EXTRACTOR_VERSION", "Extracted", "extract", "extract_payload"]
