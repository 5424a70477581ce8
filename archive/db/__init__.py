"""The derived SQLite database: its schema and the one writer/reader of the file."""

from archive.db.store import DatabaseError, Store, open_database

__all__ = ["DatabaseError", "Store", "open_database"]
