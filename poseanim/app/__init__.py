"""The Qt desktop apps: the live window (`poseanim live`) and the rig editor."""
