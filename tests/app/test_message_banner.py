"""The live window's banner (`app.message_banner`): the message with only the ways on that
apply, dismissed by hand, withdrawn only while it still says the trouble that is over."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from poseanim.app.message_banner import MessageBanner


def banner_in_a_window(calls: list[str]) -> tuple[QWidget, MessageBanner]:
    window = QWidget()  # never shown: visibility is asked relative to it
    banner = MessageBanner(lambda: calls.append("video"), lambda: calls.append("retry"))
    QVBoxLayout(window).addWidget(banner)
    return window, banner


def buttons(banner: MessageBanner) -> dict[str, QPushButton]:
    return {button.text(): button for button in banner.findChildren(QPushButton)}


def test_a_message_offers_only_the_ways_on_asked_for_and_they_work(qt_app):
    calls: list[str] = []
    window, banner = banner_in_a_window(calls)
    assert not banner.isVisibleTo(window)  # nothing to say yet
    banner.show_message("the video ended", offer_retry=True, retry_text="Play it again")
    assert banner.isVisibleTo(window) and banner.text.text() == "the video ended"
    shown = {text for text, button in buttons(banner).items() if button.isVisibleTo(window)}
    assert shown == {"Play it again", "Dismiss"}
    buttons(banner)["Play it again"].click()
    banner.show_message("camera 0 stopped sending pictures", offer_video=True, offer_retry=True)
    shown = {text for text, button in buttons(banner).items() if button.isVisibleTo(window)}
    assert shown == {"Open a video file…", "Try the camera again", "Dismiss"}
    buttons(banner)["Open a video file…"].click()
    assert calls == ["retry", "video"]
    buttons(banner)["Dismiss"].click()
    assert not banner.isVisibleTo(window)


def test_withdrawing_a_trouble_keeps_a_newer_message(qt_app):
    window, banner = banner_in_a_window([])
    banner.show_message("the camera is silent")
    banner.show_message("cannot save out.mp4: the disk is full")
    banner.withdraw("the camera is silent")  # the camera came back
    assert banner.isVisibleTo(window)
    banner.withdraw("cannot save out.mp4: the disk is full")
    assert not banner.isVisibleTo(window)
