"""SVG documents in general, with nothing of the rig: safe parsing, styles, geometry, and editing text in place."""
