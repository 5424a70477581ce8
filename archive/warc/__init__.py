"""WARC files: writing fetches as records, reading them back, recovery; the crawl log."""

from archive.warc.reader import Capture, WarcError, iter_captures, read_capture, recover
from archive.warc.writer import DigestIndex, Exchange, WarcConfig, WarcWriter, warc_files

__all__ = ["Capture", "DigestIndex", "Exchange", "WarcConfig", "WarcError", "WarcWriter",
           "iter_captures", "read_capture", "recover", "warc_files"]
