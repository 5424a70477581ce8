"""Seeds: parsing seed documents, the manifest of their originals, writing candidates back."""

from archive.seeds.parse import Seed, SeedError, load_manifest, load_seeds, parse_seed

__all__ = ["Seed", "SeedError", "load_manifest", "load_seeds", "parse_seed"]
