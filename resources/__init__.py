"""Bundled resources: news patterns, name variants, icons (loaded through importlib.resources)."""
