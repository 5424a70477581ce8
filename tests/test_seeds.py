"""archive.seeds.parse: the parser on the five real seeds, the manifest, and every bad-input case."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from archive.seeds.parse import (
    SeedError,
    check_url,
    clean_markup,
    load_seeds,
    parse_seed,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MT_000 = "https://www.themoscowtimes.com/2019/05/05/putin-is-ready-to-give-up-venezuela-for-the-right-price-a65487"
MT_003 = "https://www.themoscowtimes.com/2019/05/13/putins-syrian-playbook-wont-work-in-venezuela-a65551"


@pytest.fixture(scope="module")
def real():
    loaded = load_seeds(SEEDS)
    assert loaded.problems == []
    return {seed.id: seed for seed in loaded.seeds}


def test_all_five_real_seeds_load(real):
    assert sorted(real) == [
        "000_f39f399e16e5c1d8",
        "001_28050ff32d7e20b2",
        "002_ab8aef86bde4a4d4",
        "003_fabef78c0f05ce39",
        "004_52e3e712fd693400",
    ]


def test_moscow_times_pdf_export_header(real):
    seed = real["000_f39f399e16e5c1d8"]
    assert seed.title == "Putin Is Ready to Give Up Venezuela for the Right Price"
    assert seed.subtitle == (
        "Sergei Lavrov and Mike Pompeo will soon meet in Helsinki to discuss Venezuela's future."
    )
    assert seed.byline == "Vladimir Frolov"
    assert seed.author == "Vladimir Frolov"
    assert seed.date == dt.date(2019, 5, 5)
    assert seed.date_line == "May 05, 2019"
    assert seed.embedded_urls == (MT_000,)
    assert seed.urls[0].url == MT_000
    assert (seed.urls[0].role, seed.urls[0].confidence) == ("original", "given")


def test_body_drops_header_and_url_trailer(real):
    seed = real["000_f39f399e16e5c1d8"]
    assert seed.paragraphs[0] == "Bruno Kelly Reuters"
    assert seed.paragraphs[-1].startswith("The views expressed in opinion pieces")
    assert not any("Original url" in p or "themoscowtimes.com" in p for p in seed.paragraphs)
    assert not any(p.startswith("By ") for p in seed.paragraphs)


def test_inline_markup_cleaned_raw_kept(real):
    seed = real["000_f39f399e16e5c1d8"]
    text = seed.text
    assert "[thwarted](#)" not in text and "may have thwarted a U.S. backed plot" in text
    assert "**" not in text
    assert any("[thwarted](#)" in p for p in seed.raw_paragraphs)
    assert "[thwarted](#)" in seed.raw


def test_seed_003_header_related_article_and_split_disclaimer(real):
    seed = real["003_fabef78c0f05ce39"]
    assert seed.title == "Putin's Syrian Playbook Won't Work in Venezuela"
    assert seed.subtitle == "Russia has enabled a geopolitical crisis and is now offering to help solve it."
    assert (seed.byline, seed.date) == ("Eli Lake", dt.date(2019, 5, 13))
    assert seed.embedded_urls == (MT_003,)
    assert "Related article: Putin Is Ready to Give Up Venezuela for the Right Price" in seed.paragraphs
    # The PDF page break stays visible in the seed: joining it is the comparison's job.
    assert seed.paragraphs[-2:] == (
        "The views expressed in opinion pieces do not necessarily reflect the position of The Moscow",
        "Times.",
    )


def test_plain_title_first_line(real):
    seed = real["001_28050ff32d7e20b2"]
    assert seed.title.startswith("Did Putin throw Maduro under the bus in call with Trump?")
    assert seed.byline is None and seed.date is None and seed.embedded_urls == ()
    assert seed.paragraphs[0].startswith("Secretary of State Mike Pompeo met with Vladimir Putin")
    assert seed.paragraphs[-1] == "Your email address will not be published. Required fields are marked *"


def test_banner_line_is_not_the_title(real):
    seed = real["004_52e3e712fd693400"]
    assert seed.title == "Are U.S., Russia and Cuba going to work to break the impasse on Venezuela?"
    assert seed.paragraphs[0].startswith("Analysis:")
    assert not any(p.startswith("IE 11 is not supported") for p in seed.paragraphs)


def test_manifest_facts_and_roles(real):
    seed = real["001_28050ff32d7e20b2"]
    assert seed.publication.startswith("Hot Air")
    assert seed.published == dt.date(2019, 5, 14)
    roles = {(u.role, u.confidence) for u in seed.urls}
    assert ("repost", "seen") in roles and ("original", "candidate") in roles
    assert ("quoted", "seen") in roles
    nbc = real["004_52e3e712fd693400"]
    assert nbc.urls[0].url.endswith("-n1002171")
    assert nbc.author == "Carmen Sesin" and nbc.published == dt.date(2019, 5, 7)


def test_id_sha256_and_word_count(real):
    seed = real["002_ab8aef86bde4a4d4"]
    assert seed.id == "002_ab8aef86bde4a4d4"
    assert len(seed.sha256) == 64 and seed.sha256 == parse_seed(seed.path).sha256
    assert 2000 < seed.word_count < 2400


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("may have [thwarted](#) a [U.S. backed plot](http://x)", "may have thwarted a U.S. backed plot"),
        ("Bruno Kelly **Reuters**", "Bruno Kelly Reuters"),
        ("*The views expressed in opinion pieces*", "The views expressed in opinion pieces"),
        ("# A heading", "A heading"),
        ("Required fields are marked *", "Required fields are marked *"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_clean_markup(raw, clean):
    assert clean_markup(raw) == clean


def copy_seeds(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in names:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def only_problem(folder: Path) -> SeedError:
    loaded = load_seeds(folder)
    assert len(loaded.problems) == 1, loaded.problems
    return loaded.problems[0]


def test_seed_without_manifest_uses_printed_url(tmp_path):
    folder = copy_seeds(tmp_path, "000_f39f399e16e5c1d8.txt", "001_28050ff32d7e20b2.txt")
    loaded = load_seeds(folder)
    assert loaded.problems == []
    by_id = {s.id: s for s in loaded.seeds}
    assert [u.url for u in by_id["000_f39f399e16e5c1d8"].urls] == [MT_000]
    assert by_id["001_28050ff32d7e20b2"].urls == ()


def test_empty_file(tmp_path):
    folder = copy_seeds(tmp_path, "000_f39f399e16e5c1d8.txt")
    (folder / "empty.txt").write_text("  \n\n")
    problem = only_problem(folder)
    assert problem.path.name == "empty.txt" and problem.line == 1
    assert "empty" in str(problem) and "empty.txt:1" in str(problem)
    assert len(load_seeds(folder).seeds) == 1


def test_binary_file(tmp_path):
    folder = copy_seeds(tmp_path, "000_f39f399e16e5c1d8.txt")
    (folder / "photo.txt").write_bytes(b"line one\nGIF89a\x00\x01\x02")
    problem = only_problem(folder)
    assert problem.path.name == "photo.txt" and problem.line == 2
    assert "binary" in problem.problem and "NUL byte at offset 15" in problem.problem


def test_non_utf8_file_names_the_bytes(tmp_path):
    folder = copy_seeds(tmp_path)
    (folder / "latin1.txt").write_bytes("Title\n\nCaf\u00e9 society\n".encode("latin-1"))
    problem = only_problem(folder)
    assert problem.path.name == "latin1.txt" and problem.line == 3
    assert "not valid UTF-8" in problem.problem and "e9" in problem.problem
    assert "offset 10" in problem.problem


def test_utf16_file(tmp_path):
    folder = copy_seeds(tmp_path)
    (folder / "wide.txt").write_bytes("Title\nBody\n".encode("utf-16"))
    problem = only_problem(folder)
    assert "UTF-16" in problem.problem and problem.path.name == "wide.txt"


def test_non_http_embedded_url(tmp_path):
    folder = copy_seeds(tmp_path)
    (folder / "ftp.txt").write_text("Title\n\nBody text.\n\nOriginal url:\n\n<ftp://example.test/a>\n")
    problem = only_problem(folder)
    assert problem.path.name == "ftp.txt" and problem.line == 7
    assert "not http(s)" in problem.problem and "ftp://example.test/a" in problem.problem


def write_manifest(folder: Path, text: str) -> None:
    (folder / "seeds.yml").write_text(text)


def test_manifest_entry_for_missing_file(tmp_path):
    folder = copy_seeds(tmp_path, "000_f39f399e16e5c1d8.txt")
    write_manifest(
        folder,
        "seeds:\n  - file: 000_f39f399e16e5c1d8.txt\n  - file: gone.txt\n"
        "    originals:\n      - url: https://news.test/a\n",
    )
    problem = only_problem(folder)
    assert problem.path.name == "seeds.yml" and problem.line == 3
    assert "'gone.txt'" in problem.problem and "does not exist" in problem.problem
    assert [s.id for s in load_seeds(folder).seeds] == ["000_f39f399e16e5c1d8"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file:///etc/passwd", "not http(s)"),
        ("javascript:alert(1)", "not http(s)"),
        ("https:///no-host", "malformed"),
        ("http://news.test:port/a", "malformed"),
        ("news.test/2019/05/05/a", "not http(s)"),
    ],
)
def test_manifest_bad_url(tmp_path, url, words):
    folder = copy_seeds(tmp_path, "001_28050ff32d7e20b2.txt")
    write_manifest(
        folder,
        "seeds:\n  - file: 001_28050ff32d7e20b2.txt\n    originals:\n"
        f"      - url: https://news.test/ok\n      - url: '{url}'\n        role: repost\n",
    )
    loaded = load_seeds(folder)
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.path.name == "seeds.yml" and problem.line == 5
    assert words in problem.problem and url in problem.problem
    # The seed itself still loads, without the broken entry's facts.
    assert [s.id for s in loaded.seeds] == ["001_28050ff32d7e20b2"]


def test_manifest_bad_role_and_confidence(tmp_path):
    folder = copy_seeds(tmp_path, "001_28050ff32d7e20b2.txt")
    write_manifest(
        folder,
        "seeds:\n  - file: 001_28050ff32d7e20b2.txt\n    originals:\n"
        "      - url: https://news.test/ok\n        role: source\n",
    )
    problem = only_problem(folder)
    assert problem.line == 4 and "role 'source'" in problem.problem


def test_duplicate_ids_in_manifest_and_folder(tmp_path):
    folder = copy_seeds(tmp_path, "001_28050ff32d7e20b2.txt")
    shutil.copy(folder / "001_28050ff32d7e20b2.txt", folder / "001_28050ff32d7e20b2.md")
    write_manifest(
        folder,
        "seeds:\n  - file: 001_28050ff32d7e20b2.txt\n  - file: 001_28050ff32d7e20b2.txt\n",
    )
    problems = load_seeds(folder).problems
    messages = sorted(str(p) for p in problems)
    assert len(problems) == 2
    assert any(
        "duplicate seed id '001_28050ff32d7e20b2'" in m and ".md" in m and ".txt" in m
        for m in messages
    )
    assert any("seeds.yml:3" in m and "first at line 2" in m for m in messages)


def test_malformed_yaml_keeps_seeds(tmp_path):
    folder = copy_seeds(tmp_path, "000_f39f399e16e5c1d8.txt")
    write_manifest(folder, "seeds:\n  - file: a.txt\n    originals: [\n  - file: b\n")
    loaded = load_seeds(folder)
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.path.name == "seeds.yml" and problem.line is not None
    assert "malformed YAML" in problem.problem
    assert [u.url for u in loaded.seeds[0].urls] == [MT_000]


def test_manifest_not_a_mapping(tmp_path):
    folder = copy_seeds(tmp_path)
    write_manifest(folder, "- just\n- a list\n")
    problem = only_problem(folder)
    assert "mapping with a `seeds:` list" in problem.problem


def test_missing_folder(tmp_path):
    loaded = load_seeds(tmp_path / "nowhere")
    assert loaded.seeds == [] and "does not exist" in str(loaded.problems[0])


def test_check_url_accepts_http_and_https():
    assert check_url("http://news.test:8080/a?b=c") == "http://news.test:8080/a?b=c"
    assert check_url("HTTPS://Example.test/") == "HTTPS://Example.test/"
