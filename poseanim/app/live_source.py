"""The live window's source, decided without Qt: which source is read, its capture and
tracking pipeline, and what the user is told about it and about hands.

A source fails (a camera that cannot be opened), ends (a file that does not loop) or goes
silent (a camera unplugged or taken by another program, a stream that froze) and comes back.
`SourceHealth` turns those events into the banner's notices (`Notice`: the text and which
buttons to offer), on the silence the pipeline measures. `LiveSource` runs the source's life:
it starts and stops pipelines, ignores what a replaced one still reports (each start has its
generation), hands the newest tracked frame on, and decides the hands trial and what the
status bar says of hands. The window only relays the pipeline's thread callbacks to the GUI
thread and shows what it is told (`SourceDisplay`); tests drive `LiveSource` with a real
pipeline and a display that records.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Protocol

if TYPE_CHECKING:
    from poseanim.app.capture import LivePipeline, TrackedFrame
    from poseanim.app.hands_trial import HandsTrial
    from poseanim.pipeline import SourceSpec

STALL_SECONDS = 5.0
"""A source silent this long (no new picture) is said to have stalled on the banner; the
banner goes again with its next picture."""


@dataclass(frozen=True)
class Notice:
    """A message for the banner: the text, the 'open a video' button, the 'again' button and
    its label."""

    text: str
    offer_video: bool = False
    offer_retry: bool = False
    retry_text: str = "Try the camera again"


class SourceHealth:
    """The state of the current source as the user is told it.

    described: how the source is named ("camera 0", "dance.mp4"); camera: whether it is one.
    error: the failure shown, or None; stalled: whether the banner says it went silent.
    """

    def __init__(self, described: str = "", camera: bool = False,
                 stall_seconds: float = STALL_SECONDS) -> None:
        self.stall_seconds = stall_seconds
        self.started(described, camera)

    def started(self, described: str, camera: bool) -> None:
        """A new source opens: nothing to tell yet."""
        self.described, self.camera = described, camera
        self.error: str | None = None
        self.stalled = False

    def failed(self, message: str) -> Notice:
        """The source cannot deliver (`message` says why); a camera may be tried again."""
        self.error = message
        return Notice(message, offer_video=True, offer_retry=self.camera)

    def ended(self) -> Notice:
        """A file that does not loop has ended."""
        return Notice(f"{self.described} has ended. Play it again, or open another video "
                      "file.", offer_video=True, offer_retry=True, retry_text="Play it again")

    def silent(self, seconds: float) -> Notice | None:
        """The source has delivered nothing for `seconds`: a notice the first time that passes
        `stall_seconds` (never over a failure), else None."""
        if seconds < self.stall_seconds or self.stalled or self.error is not None:
            return None
        self.stalled = True
        return Notice(
            f"No picture from {self.described} for {seconds:.0f} s: "
            + ("is it still connected, or taken by another program? " if self.camera else "")
            + "Still waiting for it; or open a video file.", offer_video=True,
            offer_retry=True,
            retry_text="Try the camera again" if self.camera else "Open it again")

    def picture(self) -> str | None:
        """A picture came: after a stall, the status line to show (the banner goes)."""
        if not self.stalled:
            return None
        self.stalled = False
        return f"{self.described} delivers pictures again"


class SourceDisplay(Protocol):
    """What `LiveSource` changes on screen (the live window's widgets)."""

    def opening(self, described: str) -> None:
        """A new source opens (no banner, a placeholder picture, its name in the status)."""
    def failed(self, message: str) -> None:
        """The source failed: the camera view says why (the banner comes as a notice)."""
    def notice(self, notice: Notice) -> None:
        """Show a notice on the banner."""
    def message(self, text: str, banner_goes: bool = False) -> None:
        """A passing status-bar message; banner_goes: the banner is hidden too."""
    def frame(self, tracked: TrackedFrame) -> None:
        """Show a tracked frame (camera view and character)."""
    def hands(self, text: str, checked: bool | None) -> None:
        """The status bar's hands field; checked: the Hands action's state (None: as is)."""


OpenPipeline = Callable[["SourceSpec", int, bool, "HandsTrial | None"], "LivePipeline"]
"""(spec, generation, hands, trial) → a started pipeline whose callbacks carry `generation`."""


class LiveSource:
    """The source the live window reads, through its whole life (see the module).

    open_pipeline: starts a pipeline (the window's relays its callbacks to the GUI thread,
    which calls `frame_ready`, `failed` and `ended` with the generation they came with).
    hands: the user's choice (None: not made, a new source tries hands, `HandsTrial`);
    tracking: whether the mode tracks at all (raster mode does not).
    """

    def __init__(self, display: SourceDisplay, open_pipeline: OpenPipeline,
                 hands: bool | None, tracking: bool) -> None:
        self.display = display
        self.open_pipeline = open_pipeline
        self.hands = hands
        self.tracking = tracking
        self.health = SourceHealth()
        self.spec: SourceSpec | None = None
        self.pipeline: LivePipeline | None = None
        self.tracked: TrackedFrame | None = None
        self.generation = 0

    def start(self, spec: SourceSpec) -> None:
        """Stop the current source (if any) and start reading `spec`."""
        self.stop()
        self.generation += 1
        self.health.started(spec.describe(), spec.kind == "camera")
        self.spec = spec
        self.display.opening(spec.describe())
        self.pipeline = self.open_pipeline(spec, self.generation, self.hands is not False,
                                           self._hands_trial(spec))

    def stop(self) -> bool:
        """Stop capture and tracking; True if the threads ended within a second."""
        pipeline, self.pipeline = self.pipeline, None
        return pipeline.stop() if pipeline is not None else True

    def _current(self, generation: int) -> bool:
        return generation == self.generation and self.pipeline is not None

    def frame_ready(self, generation: int) -> TrackedFrame | None:
        """A pipeline said a frame waits: the newest one, shown, or None (a replaced source's,
        or a newer signal took it already)."""
        if not self._current(generation):
            return None
        assert self.pipeline is not None
        tracked = self.pipeline.results.take(0)
        if tracked is None:
            return None
        back = self.health.picture()
        if back is not None:
            self.display.message(back, banner_goes=True)
        self.tracked = tracked
        self.display.frame(tracked)
        return tracked

    def failed(self, generation: int, message: str) -> None:
        """The pipeline of `generation` failed: said on stderr, in the view and on the banner."""
        if generation != self.generation:
            return
        print(f"poseanim: error: {message}", file=sys.stderr)
        self.display.failed(message)
        self.display.notice(self.health.failed(message))

    def ended(self, generation: int) -> None:
        """A file source that does not loop came to its end."""
        if self._current(generation):
            self.display.message(f"end of {self.health.described}")
            self.display.notice(self.health.ended())

    def poll(self, now: float) -> None:
        """Every status tick: a silent source is said on the banner, hands in the status."""
        if self.pipeline is not None:
            notice = self.health.silent(self.pipeline.silent_seconds(now))
            if notice is not None:
                self.display.notice(notice)
        if self.tracking:
            self.show_hands()

    def set_hands(self, on: bool) -> None:
        """The user turned hands on or off (it ends a trial). Off, or on where the tracker has
        them, takes effect at the next frame; else the tracker restarts on the same source."""
        self.hands = on
        pipeline = self.pipeline
        if pipeline is None:
            return
        pipeline.hands_trial = None
        if on and not pipeline.can_track_hands:
            self.start(pipeline.spec)
        else:
            pipeline.hands = on
        self.show_hands()

    def _hands_trial(self, spec: SourceSpec) -> HandsTrial | None:
        """A trial of hand tracking for a new source when the user has not decided (a track
        file and raster mode track nothing)."""
        from poseanim.app.hands_trial import HandsTrial

        if self.hands is not None or not self.tracking or spec.kind == "track":
            return None
        return HandsTrial(source_waits=spec.every_frame and spec.kind != "camera")

    def show_hands(self) -> None:
        """Whether hands are tracked, and why; the Hands action follows a trial's verdict."""
        pipeline = self.pipeline
        trial = pipeline.hands_trial if pipeline is not None else None
        self.display.hands(*hands_status(self.hands, trial))


def hands_status(hands: bool | None, trial: HandsTrial | None) -> tuple[str, bool | None]:
    """(the status bar's hands text, the Hands action's state or None to leave it) for the
    user's choice `hands` and the running trial."""
    if trial is None:
        return ("hands on" if hands else "hands off"), None
    if trial.verdict is None:
        return "hands on (measuring the frame rate)", None
    return trial.verdict.describe(), trial.verdict.keep
