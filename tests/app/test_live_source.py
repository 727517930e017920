"""What the live window says about its source and does with it, without a window or a clock:
made-up silences, and `LiveSource` over a real pipeline whose callbacks a queue hands on."""

from __future__ import annotations

import queue
import subprocess
import sys

import pytest
from conftest import DATA

from poseanim.app.capture import LivePipeline
from poseanim.app.hands_trial import HandsTrial, HandsVerdict
from poseanim.app.live_source import STALL_SECONDS, LiveSource, Notice, SourceHealth, hands_status
from poseanim.pipeline import SourceSpec


def test_it_needs_no_qt():
    run = subprocess.run([sys.executable, "-c", "import sys, poseanim.app.live_source; "
                          "print(any(m.startswith('PySide6') for m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "False", run.stderr


def test_a_silent_camera_is_said_once_and_a_picture_takes_it_back():
    health = SourceHealth("camera 0", camera=True)
    assert health.silent(STALL_SECONDS - 0.1) is None and not health.stalled
    notice = health.silent(STALL_SECONDS + 1)
    assert notice is not None and health.stalled
    assert notice.text.startswith("No picture from camera 0 for 6 s: is it still connected")
    assert notice.offer_video and notice.offer_retry and notice.retry_text == "Try the camera again"
    assert health.silent(STALL_SECONDS + 9) is None  # said once
    assert health.picture() == "camera 0 delivers pictures again" and not health.stalled
    assert health.picture() is None


def test_a_file_that_froze_is_offered_again_and_a_failure_is_not_called_silence():
    health = SourceHealth("dance.mp4", camera=False)
    assert health.silent(30).retry_text == "Open it again"
    health.started("camera 1", camera=True)
    assert not health.stalled and health.error is None
    failed = health.failed("camera 1 cannot be opened")
    assert failed.offer_retry and health.error == "camera 1 cannot be opened"
    assert health.silent(60) is None  # the failure is what the banner says
    health.started("clip.mp4", camera=False)
    assert not health.failed("clip.mp4: broken").offer_retry
    ended = health.ended()
    assert ended.text.startswith("clip.mp4 has ended") and ended.retry_text == "Play it again"


# --- the source's life (`LiveSource`), a real pipeline, no window ----------------------------

TRACK = SourceSpec("track", path=DATA / "walk_track.json", every_frame=True)


class Shown:
    """A `SourceDisplay` that keeps what it was told, in order."""

    def __init__(self) -> None:
        self.said: list[tuple] = []

    def opening(self, described: str) -> None:
        self.said.append(("opening", described))

    def failed(self, message: str) -> None:
        self.said.append(("failed", message))

    def notice(self, notice: Notice) -> None:
        self.said.append(("notice", notice))

    def message(self, text: str, banner_goes: bool = False) -> None:
        self.said.append(("message", text, banner_goes))

    def frame(self, tracked) -> None:
        self.said.append(("frame", tracked))

    def hands(self, text: str, checked: bool | None) -> None:
        self.said.append(("hands", text, checked))

    def kinds(self) -> list[str]:
        return [entry[0] for entry in self.said]


@pytest.fixture
def live():
    """A LiveSource whose pipelines post their callbacks on a queue, as the window's signals
    post them to its thread; `pump` hands them on until a condition holds."""
    events: queue.Queue = queue.Queue()
    shown = Shown()

    def open_pipeline(spec, generation, hands, trial):
        return LivePipeline(spec, on_frame=lambda: events.put(("frame", generation)),
                            on_error=lambda message: events.put(("error", generation, message)),
                            on_end=lambda: events.put(("end", generation)), hands=hands,
                            hands_trial=trial)

    source = LiveSource(shown, open_pipeline, hands=None, tracking=True)

    def pump(done, limit: int = 1000) -> None:
        for _ in range(limit):
            event = events.get(timeout=60)
            if event[0] == "frame":
                source.frame_ready(event[1])
            elif event[0] == "error":
                source.failed(event[1], event[2])
            else:
                source.ended(event[1])
            if done():
                return
        raise AssertionError("the condition never held")

    yield source, shown, pump
    source.stop()


def test_a_recorded_track_is_shown_frame_after_frame_then_said_to_have_ended(live):
    source, shown, pump = live
    source.start(TRACK)
    assert shown.said[0] == ("opening", str(TRACK.path))
    assert source.pipeline is not None and source.pipeline.hands_trial is None  # a track: no trial
    pump(lambda: "notice" in shown.kinds())
    frames = [entry[1] for entry in shown.said if entry[0] == "frame"]
    assert len(frames) > 10 and source.tracked is frames[-1]
    assert all(frame.pose is not None for frame in frames)
    end = shown.said.index(("message", f"end of {TRACK.path}", False))
    notice = shown.said[end + 1][1]
    assert notice.text.startswith(f"{TRACK.path} has ended") and notice.retry_text == "Play it again"


def test_what_a_replaced_source_still_reports_is_not_shown(live, capsys):
    source, shown, pump = live
    source.start(TRACK)
    first = source.generation
    source.start(TRACK)
    assert source.generation == first + 1
    shown.said.clear()
    assert source.frame_ready(first) is None
    source.failed(first, "the old one broke")
    source.ended(first)
    assert shown.said == [] and capsys.readouterr().err == ""
    pump(lambda: "frame" in shown.kinds())  # the new one's frames are


def test_a_missing_file_is_said_in_the_view_on_the_banner_and_on_stderr(live, tmp_path, capsys):
    source, shown, pump = live
    source.start(SourceSpec("video", path=tmp_path / "gone.mp4"))
    pump(lambda: "notice" in shown.kinds())
    (_, message), (_, notice) = shown.said[1:3]
    assert "gone.mp4" in message and notice.text == message and notice.offer_video
    assert not notice.offer_retry  # no camera to try again
    assert capsys.readouterr().err == f"poseanim: error: {message}\n"
    assert source.health.error == message


def test_turning_hands_on_and_off_needs_no_restart_on_a_pipeline_made_with_hands(live):
    source, shown, pump = live
    source.start(TRACK)
    pipeline = source.pipeline
    assert pipeline is not None and pipeline.hands  # hands=None: on, for a trial to judge
    source.set_hands(False)
    assert source.pipeline is pipeline and not pipeline.hands and source.hands is False
    assert shown.said[-1] == ("hands", "hands off", None)
    source.set_hands(True)
    assert source.pipeline is pipeline and pipeline.hands
    assert shown.said[-1] == ("hands", "hands on", None)


def test_turning_hands_on_restarts_a_pipeline_made_without():
    started: list[tuple] = []

    def open_pipeline(spec, generation, hands, trial):
        started.append((generation, hands, trial))
        return LivePipeline(spec, on_frame=lambda: None, on_error=lambda message: None,
                            on_end=lambda: None, hands=hands)

    source = LiveSource(Shown(), open_pipeline, hands=False, tracking=True)
    try:
        source.start(TRACK)
        source.set_hands(True)
        assert started == [(1, False, None), (2, True, None)]
        assert source.pipeline is not None and source.pipeline.hands
    finally:
        source.stop()


def test_a_video_gets_a_hands_trial_until_the_user_chooses():
    made: list = []

    def open_pipeline(spec, generation, hands, trial):
        made.append(trial)
        return LivePipeline(spec, on_frame=lambda: None, on_error=lambda message: None,
                            on_end=lambda: None, tracking=False, hands=hands)

    video = SourceSpec("video", path=DATA / "missing.mp4", every_frame=True)
    for hands, tracking, trial in ((None, True, True), (True, True, False),
                                   (None, False, False)):
        source = LiveSource(Shown(), open_pipeline, hands=hands, tracking=tracking)
        source.start(video)
        source.stop()
        assert (made[-1] is not None) is trial, (hands, tracking)
    assert made[0].source_waits  # a file handing on every frame waits for the tracker


def test_the_status_says_what_a_trial_decided_and_the_action_follows_it():
    assert hands_status(None, None) == ("hands off", None)
    assert hands_status(True, None) == ("hands on", None)
    trial = HandsTrial(source_waits=False)
    assert hands_status(None, trial) == ("hands on (measuring the frame rate)", None)
    verdict = HandsVerdict(keep=False, tracked_fps=9.0, source_fps=30.0)
    trial.verdict = verdict
    assert hands_status(None, trial) == (verdict.describe(), False)
