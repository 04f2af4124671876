"""Records out of the archive: CSV for spreadsheets (pure functions, no Qt)."""
