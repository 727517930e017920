"""The live modes without a window: a character mode fed tracked frames paints into its
views, feeds the outputs and writes screenshots; the window only wires widgets to a mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QColor

from poseanim.app.camera_view import CameraView
from poseanim.app.capture import Capture, TrackedFrame
from poseanim.app.character_view import CharacterView
from poseanim.app.live_commands import CHARACTER_ONLY, live_commands, raster_commands
from poseanim.app.live_modes import CharacterMode, LiveMode, ModeParts, RasterMode
from poseanim.app.live_outputs import LiveOutputs
from poseanim.app.live_status import LiveStats, LiveStatusBar
from poseanim.app.message_banner import MessageBanner
from poseanim.illustration import load_illustration
from poseanim.render.png import png_to_rgba

pytestmark = pytest.mark.gui


def tracked(time: float, pose) -> TrackedFrame:
    return TrackedFrame(Capture(None, pose, pose.image_size, time, time), pose, None, None, 2.5)


@pytest.fixture
def parts(qt_app, tmp_path):
    banner = MessageBanner(open_video=lambda: None, retry_camera=lambda: None)
    status = LiveStatusBar(False)
    titles: list[str] = []
    actions: dict[str, QAction] = {}
    result = ModeParts(CameraView(), CharacterView(), banner, status,
                       LiveOutputs(tmp_path, False, banner, status, lambda seconds: None),
                       LiveStats(), lambda label: actions[label], lambda: QColor("white"),
                       titles.append)
    result.titles = titles  # type: ignore[attr-defined]
    result.actions = actions  # type: ignore[attr-defined]
    return result


def test_both_modes_have_the_one_interface():
    members = [name for name in dir(LiveMode) if not name.startswith("_")]
    for mode in (CharacterMode, RasterMode):
        assert all(hasattr(mode, name) for name in members), mode
    assert CharacterMode.tracking and not RasterMode.tracking
    assert RasterMode.disabled == CHARACTER_ONLY and not CharacterMode.disabled


def test_a_character_mode_paints_each_tracked_frame_and_writes_what_it_shows(parts,
                                                                             tracked_pose):
    mode = CharacterMode(parts, load_illustration("ada"), 0.5)
    mode.show_start()
    assert parts.titles == ["poseanim live"] and parts.character_view.frame is not None
    assert mode.state == "waiting"
    mode.source_started(0.5)
    for index in range(3):
        mode.take(tracked(index / 30, tracked_pose))
    assert mode.state == "tracking"
    assert parts.character_view.frame is mode.frame and mode.frame is not None
    assert list(parts.stats.tracking_ms) == [2.5, 2.5, 2.5]
    assert mode.output_size() == mode.image_size == tuple(tracked_pose.image_size)
    written = mode.screenshot("#204060", None)
    assert [path.suffix for path in written] == [".svg", ".png"]
    picture = png_to_rgba(Path(written[1]).read_bytes())
    assert tuple(picture[0, 0, :3]) == (32, 64, 96)  # the background asked for
    assert (picture[..., :3].min(axis=2) < 100).mean() > 0.01  # and the character on it
    bolt = load_illustration("bolt")
    mode.set_illustration(bolt)
    assert parts.titles[-1] == "poseanim live — bolt" and mode.frame.illustration is bolt


def test_the_window_commands_take_the_modes_own(parts):
    class Window:
        settings = type("S", (), {"background": None, "hands": False})()
        mirror = False

        def __getattr__(self, name):
            return lambda *args: None

    labels = [c.label for c in live_commands(Window())]
    assert "Overlay" not in labels and labels[-1] == "Quit"
    mode = CharacterMode(parts, load_illustration("ada"), 0.5)
    assert mode.commands() == []

    class Raster:
        def __getattr__(self, name):
            return lambda *args: None

    own = raster_commands(Raster())
    labels = [c.label for c in live_commands(Window(), own)]
    assert labels.index("Overlay") < labels.index("Quit") == len(labels) - 1
    assert all(label in labels for label in ("Avatar 1", "Reset reference"))


@pytest.mark.fomm
def test_a_raster_mode_shows_the_avatar_then_what_the_worker_animates(qt_app, parts, tmp_path,
                                                                     monkeypatch):
    """RasterMode on its own, no window: FOMM's real networks shrunk (a body model, seeded
    random weights) animate the astronaut photo on the worker's thread; the mode shows the
    avatar at once, then each animated picture, mirrored on request, and switches avatars."""
    pytest.importorskip("torch")
    import numpy as np

    from conftest import PHOTO, run_until
    from fomm_checkpoint import save_legacy, tiny_fomm, use_tiny_fomm
    from poseanim.app.raster_worker import load_raster_settings
    from poseanim.fomm import random_checkpoint

    use_tiny_fomm(monkeypatch)
    path = save_legacy(random_checkpoint(tiny_fomm("taichi-256", face=False), seed=0),
                       tmp_path / "taichi-cpk.pth.tar")
    settings = load_raster_settings(PHOTO, path, "fomm", "taichi-256")
    for label in ("Mirror output", "Overlay"):
        parts.actions[label] = QAction(label, checkable=True)
    mode = RasterMode(parts, settings)
    try:
        mode.show_start()
        assert parts.titles[-1] == f"poseanim live — FOMM: {PHOTO.name}"
        avatar = parts.character_view.picture
        assert avatar is not None and avatar.shape == (*settings.source.shape[:2], 3)
        assert mode.output_size() == (settings.frame_size,) * 2

        picture = (np.random.default_rng(0).random((96, 128, 3)) * 255).astype(np.uint8)
        capture = Capture(picture, None, (128, 96), 0.0, 0.0)

        def animated_after(previous) -> np.ndarray:
            mode.take(TrackedFrame(capture, None, None, None, 0.0))
            assert run_until(qt_app, lambda: mode.animated is not previous, 60.0)  # a wait
            assert parts.character_view.picture is not avatar
            return parts.character_view.picture

        shown = animated_after(None)
        assert mode.image_size == (128, 96) and len(parts.stats.fomm_ms) >= 1
        assert shown.shape == (settings.frame_size, settings.frame_size, 3)
        assert np.array_equal(shown, mode.animated.rgb)

        parts.actions["Mirror output"].setChecked(True)
        mode.toggle_mirror_output()
        mirrored = animated_after(mode.animated)
        assert np.array_equal(mirrored, mode.animated.rgb[:, ::-1])

        parts.actions["Overlay"].setChecked(True)
        mode.toggle_overlay()
        image, rect = parts.camera_view.overlay
        assert (rect.width(), rect.height(), rect.left()) == (96, 96, 16)  # the centred square

        assert mode.add_avatar(PHOTO)
        assert parts.titles[-1].endswith(f"{PHOTO.name} (2/2)") and mode.worker.avatar == 1
        mode.select_avatar(5)
        assert mode.worker.avatar == 1 and parts.status.currentMessage() == "no avatar 6: 2 loaded"
    finally:
        mode.stop()
