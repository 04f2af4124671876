"""Tests of desktop.core."""
