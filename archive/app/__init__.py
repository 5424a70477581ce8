"""The application: the `seedcheck` command and its workflows; the only importer of crawler/."""
