"""The Datasette plugin: seedcheck's pages, their templates and static files."""
