"""SVG documents in general, with nothing of the rig: safe parsing, styles, geometry, text edited in place."""
