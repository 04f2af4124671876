"""Tests of desktop.ingest."""
