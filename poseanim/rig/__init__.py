"""The Pose Animator rig: joint and bone tables, and reading rigged SVG files."""
