"""The build: WARCs + crawl logs + seeds -> the database (targets, workers, change history)."""
