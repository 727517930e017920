"""The one door to MediaPipe: real graphs on the real photo, and not one line of their chatter."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from conftest import PHOTO, REPO

CHATTER = ("XNNPACK", "W0000", "I0000", "absl", "TensorFlow Lite", "inference_feedback_manager")


def test_pose_and_face_mesh_answer_in_pixels(photo_rgb):
    from poseanim.tracking.mediapipe_graphs import FaceMeshGraph, PoseGraph

    height, width = photo_rgb.shape[:2]
    with PoseGraph() as pose, FaceMeshGraph() as face:
        landmarks = pose.landmarks(photo_rgb)
        vertices = face.vertices(photo_rgb)
        nobody = pose.landmarks(np.zeros_like(photo_rgb)), face.vertices(np.zeros_like(photo_rgb))
    assert landmarks.shape == (33, 4) and vertices.shape == (468, 2)
    nose, = landmarks[[0], :2]
    assert 0 < nose[0] < width and 0 < nose[1] < height
    assert np.linalg.norm(vertices[4] - nose) < 0.05 * width, "Face Mesh's nose tip is Pose's nose"
    assert nobody == (None, None)


@pytest.mark.slow
def test_no_mediapipe_log_line_reaches_the_terminal(tmp_path):
    """Every MediaPipe user (tracker, FOMM's face finder, auto-rig's face pass) in one process,
    its descriptor 2 captured: only what poseanim itself prints may appear."""
    script = (
        "from poseanim.sources import read_image\n"
        "from poseanim.tracking.mediapipe_tracker import MediaPipeTracker\n"
        "from poseanim.fomm.face_crop import FaceMeshFinder\n"
        f"photo = read_image({str(PHOTO)!r})\n"
        "for video in (False, True):\n"
        "    with MediaPipeTracker(video=video) as tracker:\n"
        "        assert tracker.track_picture(photo).face_mesh is not None\n"
        "with FaceMeshFinder() as finder:\n"
        "    assert finder.find(photo) is not None\n"
        "print('done')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "done\n"
    assert not [line for line in run.stderr.splitlines() if any(c in line for c in CHATTER)], run.stderr


@pytest.mark.slow
def test_the_image_command_prints_only_its_outputs(tmp_path):
    output = tmp_path / "posed.svg"
    run = subprocess.run([sys.executable, "-m", "poseanim", "image", str(PHOTO), "-i", "ada",
                          "-o", str(output)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [str(output), str(output.with_suffix(".png"))]
    assert run.stderr == ""
