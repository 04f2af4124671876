"""Plain dataclasses, errors and text normalisation shared by every layer; no project imports."""
