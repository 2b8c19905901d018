"""Vendored static assets for self-contained HTML output."""
