"""Bundled data: the sample articles a new archive is filled with (data/sample/)."""
