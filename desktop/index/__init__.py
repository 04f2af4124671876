"""The derived full-text index: Whoosh schema and analyzer, writer, searcher and highlighter."""
