"""What the live window tells the user about its source, decided without Qt.

A source fails (a camera that cannot be opened), ends (a file that does not loop) or goes
silent (a camera unplugged or taken by another program, a stream that froze) and comes back.
`SourceHealth` turns those events into the banner's notices (`Notice`: the text and which
buttons to offer), on the silence the pipeline measures: the window shows what it is given, and
tests drive it with made-up silences.
"""

from __future__ import annotations

from dataclasses import dataclass

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
