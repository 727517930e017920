"""Pose a bundled character like the person in a photo, and write SVG + PNG.

    python examples/pose_photo.py examples/photos/astronaut.jpg ada posed
"""

import sys

import poseanim


def main(photo_path: str, character_name: str, output_stem: str) -> None:
    character = poseanim.load_illustration(character_name)  # a bundled name or an .svg path
    photo = poseanim.read_image(photo_path)                  # (H, W, 3) uint8 RGB
    with poseanim.MediaPipeTracker() as tracker:
        pose = tracker.track(photo)
    if pose is None:
        sys.exit(f"nobody found in {photo_path}")
    frame = character.pose(pose)                             # drawn in the photo's pixel space
    print(poseanim.write_svg(frame, f"{output_stem}.svg"))
    print(poseanim.write_png(frame.fitted(), f"{output_stem}-fitted.png", width=400))


if __name__ == "__main__":
    main(*(sys.argv[1:] + ["examples/photos/astronaut.jpg", "ada", "posed"][len(sys.argv) - 1:]))
