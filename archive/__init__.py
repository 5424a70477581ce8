"""seedcheck's core: seeds, WARC files, extraction, comparison, database and publishing."""

__version__ = "0.1.0"
