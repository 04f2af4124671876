"""Tests of desktop.store."""
