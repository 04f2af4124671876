"""Turning files into articles: decoding, format extraction, news structure, duplicates (pure, no Qt)."""
