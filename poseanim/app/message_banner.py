"""The live window's banner: what went wrong, said above the views until dismissed.

A dialog would stop the window; the banner lets the character go on moving while it says why
a file could not be opened or a recording saved. When the source itself failed, stalled or
ended it also offers the ways on: play a video file instead, or open the source again.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class MessageBanner(QFrame):
    """A dark red strip with a message, the source buttons when offered, and Dismiss."""

    def __init__(self, open_video: Callable[[], None], retry_camera: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #5a2a20; } QLabel { color: white; }")
        self.text = QLabel(wordWrap=True)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        self.video_button = QPushButton("Open a video file…")
        self.video_button.clicked.connect(open_video)
        self.retry_button = QPushButton("Try the camera again")
        self.retry_button.clicked.connect(retry_camera)
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(self.hide)
        for button in (self.video_button, self.retry_button, dismiss):
            layout.addWidget(button)
        self.hide()

    def show_message(self, text: str, offer_video: bool = False,
                     offer_retry: bool = False, retry_text: str = "Try the camera again") -> None:
        """Show `text`, with the button that opens a video file and the one that opens the
        source again (the camera, or a video that ended) when asked."""
        self.text.setText(text)
        self.video_button.setVisible(offer_video)
        self.retry_button.setText(retry_text)
        self.retry_button.setVisible(offer_retry)
        self.show()

    def withdraw(self, text: str) -> None:
        """Hide the banner if it still says `text` (that trouble is over; a message shown
        since then stays)."""
        if self.text.text() == text:
            self.hide()
