"""The seams of DESIGN.md, kept by walking every import of the project's modules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each heavy dependency has one importer (STYLE habit 2); Scrapy lives in crawler/.
OWNERS = {
    "warcio": {"archive/warc.py"},
    "trafilatura": {"archive/extract.py"},
    "pypdf": {"archive/extract.py"},
    "sqlite_utils": {"archive/db.py"},
    "datasette": {"archive/datasette_plugin.py"},
}
DATABASE = ("sqlite_utils", "sqlite3", "archive.db", "archive.build")


def imports(path: Path) -> list[tuple[str, ast.AST, bool]]:
    """(module, node, inside a function) for every import in `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                found.append((child.module, child, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", modules("archive"), ids=lambda p: str(p.relative_to(ROOT)))
def test_archive_is_free_of_scrapy(path):
    rel = str(path.relative_to(ROOT))
    for name, node, in_function in imports(path):
        if top(name) in ("scrapy", "twisted") or name.startswith("crawler"):
            # Only the CLI starts a crawl, and only inside the command that does it.
            assert rel == "archive/cli.py" and in_function, f"{rel}:{node.lineno} imports {name}"


@pytest.mark.parametrize("path", modules("crawler"), ids=lambda p: str(p.relative_to(ROOT)))
def test_crawler_never_touches_the_database(path):
    rel = str(path.relative_to(ROOT))
    for name, node, _ in imports(path):
        assert not name.startswith(DATABASE), f"{rel}:{node.lineno} imports {name}"
        if name.startswith("archive"):
            assert name in ("archive", "archive.seeds", "archive.warc"), (
                f"{rel}:{node.lineno} imports {name}: crawler/ may use archive.seeds and archive.warc only"
            )


@pytest.mark.parametrize("path", modules("archive") + modules("crawler"), ids=lambda p: str(p.relative_to(ROOT)))
def test_one_importer_per_heavy_dependency(path):
    rel = str(path.relative_to(ROOT))
    for name, node, _ in imports(path):
        owners = OWNERS.get(top(name))
        if owners is not None:
            assert rel in owners, f"{rel}:{node.lineno} imports {name}; only {sorted(owners)} may"


def test_the_walk_sees_imports_in_functions(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("import os\ndef f():\n    from scrapy.crawler import CrawlerProcess\n")
    assert [(n, f) for n, _, f in imports(sample)] == [("os", False), ("scrapy.crawler", True)]
