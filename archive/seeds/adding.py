"""`seedcheck add`: a new seed file, or an original URL for a seed, into the seed folder.

The manifest (`seeds.yml`) is edited as text through `archive.seeds.candidates`, so its
comments, order and layout stay as a person wrote them; the new manifest is read back before
it replaces the old one. A URL a person adds is `given`: it replaces a candidate of the same
URL (the person confirmed it) and leaves a given or seen one as it is.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from archive.seeds.candidates import Found, ManifestError, add_candidates
from archive.seeds.parse import (
    MANIFEST_NAME,
    ROLES,
    SEED_SUFFIXES,
    SeedError,
    check_url,
    load_manifest,
    load_seeds,
    parse_seed,
)


class AddError(Exception):
    """Nothing was added; the message names the file, seed or URL and why."""


def add(seeds_dir: Path, target: str, seed: str | None = None,
        role: str = "original") -> list[str]:
    """Add `target` (a URL, with `seed`; or a seed file) to `seeds_dir`; what was done."""
    if role not in ROLES:
        raise AddError(f"role {role!r} is not one of {', '.join(ROLES)}")
    try:
        if "://" in target:
            return add_url(seeds_dir, target, seed, role)
        return add_file(seeds_dir, Path(target))
    except (ManifestError, SeedError) as exc:
        raise AddError(str(exc)) from None


def add_url(seeds_dir: Path, url: str, seed: str | None, role: str) -> list[str]:
    try:
        check_url(url)
    except ValueError as exc:
        raise AddError(str(exc)) from None
    if not seed:
        raise AddError(f"{url}: which seed is it the original of? give --seed ID")
    found = next((s for s in load_seeds(seeds_dir).seeds
                  if seed in (s.id, s.path.name)), None)
    if found is None:
        raise AddError(f"{seeds_dir}: no seed {seed!r} (`seedcheck seeds` lists them)")
    return add_candidates(seeds_dir / MANIFEST_NAME, found.path.name,
                          [Found(url, None, role=role, confidence="given")])


def add_file(seeds_dir: Path, path: Path) -> list[str]:
    """Copy a seed document into the folder (if it is not there) and give it a manifest entry."""
    if not path.is_file():
        raise AddError(f"{path}: no such file (give a seed document, .txt or .md, or a URL)")
    if path.suffix.lower() not in SEED_SUFFIXES:
        raise AddError(f"{path}: a seed document ends in {' or '.join(SEED_SUFFIXES)}")
    parsed = parse_seed(path)                     # SeedError: unreadable, empty, no title
    seeds_dir.mkdir(parents=True, exist_ok=True)
    there = seeds_dir / path.name
    done = []
    if not (there.exists() and there.resolve() == path.resolve()):
        if there.exists() and there.read_bytes() != path.read_bytes():
            raise AddError(f"{there}: another seed file already has this name; rename yours")
        if not there.exists():
            shutil.copyfile(path, there)
            done.append(f"{there}: copied from {path}")
    manifest = seeds_dir / MANIFEST_NAME
    entries, _ = load_manifest(manifest) if manifest.exists() else ({}, [])
    if there.stem not in entries:
        _append_entry(manifest, there.name)
        done.append(f"{manifest}: new entry for {there.name}")
    urls = ", ".join(u.url for u in parsed.urls) or "none yet: add one with " \
        f"`seedcheck add URL --seed {there.stem}`"
    done.append(f"{there.stem}: “{parsed.title}”, {parsed.word_count} words; original URLs: {urls}")
    return done


def _append_entry(manifest: Path, name: str) -> None:
    """A `- file:` entry at the end of the manifest, the rest of the text untouched."""
    text = manifest.read_text(encoding="utf-8") if manifest.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    if not any(line.startswith("seeds:") for line in text.splitlines()):
        text += "seeds:\n"
    dash = next((line[: len(line) - len(line.lstrip())] for line in text.splitlines()
                 if line.lstrip().startswith("- file:")), "  ")      # as the entries before
    new = text + f"{dash}- file: {name}\n"
    temp = manifest.with_name(manifest.name + ".new")
    temp.write_text(new, encoding="utf-8")
    entries, problems = load_manifest(temp)
    if problems or Path(name).stem not in entries:
        temp.unlink()
        raise AddError(f"{manifest}: the edited manifest would not read back "
                       f"({'; '.join(map(str, problems)) or 'entry missing'}); left unchanged")
    os.replace(temp, manifest)
