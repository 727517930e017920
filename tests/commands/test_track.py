"""`poseanim track`: a photo or video in, a track file out that every other command can pose
any character with; a photo asked to be trimmed, or with nobody in it, writes nothing."""

from __future__ import annotations

import numpy as np
from conftest import PHOTO

import cv2
from poseanim.tracking.track_file import load_track


def test_a_photo_becomes_a_one_pose_track_another_command_poses_with(run_cli, tmp_path):
    track = tmp_path / "pose.json"
    code, stdout, stderr = run_cli("track", PHOTO, "-o", track)
    assert (code, stdout.strip(), stderr) == (0, str(track), "")
    recorded = load_track(track)
    assert recorded.image_size == (512, 512) and recorded.found_count() == len(recorded.frames) == 1
    code, _, _ = run_cli("image", "--track", track, "-i", "ada", "-o", tmp_path / "ada.svg")
    assert code == 0 and (tmp_path / "ada.png").exists()


def test_a_photo_has_no_part_to_trim(run_cli, tmp_path):
    code, _, stderr = run_cli("track", PHOTO, "-o", tmp_path / "t.json", "--start", "1")
    assert code == 1
    assert stderr.strip().endswith("--start and --end trim a video; a photo has one pose")
    assert list(tmp_path.iterdir()) == []


def test_a_photo_with_nobody_in_it_writes_no_track(run_cli, tmp_path):
    empty = tmp_path / "wall.png"
    cv2.imwrite(str(empty), np.full((240, 320, 3), 200, np.uint8))
    code, _, stderr = run_cli("track", empty, "-o", tmp_path / "t.json")
    assert code == 1 and len(stderr.strip().splitlines()) == 1
    assert stderr.strip().endswith(f"no person found in {empty}; nothing was written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wall.png"]
