"""seedcheck's spiders."""
