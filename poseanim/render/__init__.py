"""Renderers and writers: posed frames to SVG documents, pictures and files."""
