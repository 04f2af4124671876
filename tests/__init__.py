"""Tests mirror desktop/; fixtures build real temporary archives."""
