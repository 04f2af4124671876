"""Tests of desktop.index."""
