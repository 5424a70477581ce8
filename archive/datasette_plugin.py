"""The seedcheck Datasette plugin (registered by the `datasette` entry point)."""
