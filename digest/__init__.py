"""Digests: composing what changed (text, HTML, Markdown, JSON, Atom) and delivering it."""
