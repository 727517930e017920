"""Pose a character for every photo in a folder (models loaded once, photos without a person
skipped with a message).

    python examples/pose_folder.py PHOTO_FOLDER OUTPUT_FOLDER [CHARACTER]
"""

import sys
from pathlib import Path

import poseanim

PICTURES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}


def main(photos: Path, output: Path, character_name: str = "ada") -> None:
    character = poseanim.load_illustration(character_name)
    output.mkdir(parents=True, exist_ok=True)
    with poseanim.MediaPipeTracker() as tracker:
        for path in sorted(p for p in photos.iterdir() if p.suffix.lower() in PICTURES):
            try:
                pose = tracker.track(poseanim.read_image(path))
            except poseanim.PoseanimError as error:
                print(f"skipped: {error}")
                continue
            if pose is None:
                print(f"skipped: nobody in {path.name}")
                continue
            frame = character.pose(pose)
            poseanim.write_svg(frame, output / f"{path.stem}.svg")
            print(poseanim.write_png(frame, output / f"{path.stem}.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4])
