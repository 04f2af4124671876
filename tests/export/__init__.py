"""Tests of desktop.export."""
