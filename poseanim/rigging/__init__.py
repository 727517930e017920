"""Tools for making a drawing animatable: `rig check`, `rig init --auto`, the editor's document, sample poses.

They sit above the illustration and the renderers (a check binds the drawing the way posing
does; auto-rig previews it), so `poseanim.rig` itself stays the format: tables and the reader.
"""
