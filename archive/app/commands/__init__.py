"""The `seedcheck` commands, a module per kind of work; `archive.app.cli` gathers them."""
