"""Real Lottie players for the tests: rlottie (the `rlottie-python` wheel), and lottie-web and
dotlottie-web (for .lottie archives) in headless Chromium (`make players` installs both from
tests/players/package.json; CI's `.ci/run` installs Chromium). Each returns frames as
(H, W, 4) uint8 straight RGBA.

The web players run in a page served from localhost; the page steps the animation to each
frame and posts the picture back (a canvas, or lottie-web's SVG document drawn into a canvas),
so no screenshot scaling or DevTools protocol is involved.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

PLAYERS = Path(__file__).resolve().parent / "players" / "node_modules"
LOTTIE_WEB = PLAYERS / "lottie-web" / "build" / "player" / "lottie.min.js"
DOTLOTTIE_WEB = PLAYERS / "@lottiefiles" / "dotlottie-web" / "dist"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--force-device-scale-factor=1", "--hide-scrollbars"]
PAGE_TIMEOUT = 180  # seconds a page may take before the test fails (a guard, not a measure)

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;background:transparent}</style>
</head><body><div id="stage"></div><script src="/lottie.min.js"></script><script>
const report = (path, body) => fetch(path, {method: "POST", body: body});
window.onerror = (message) => { report("/error", String(message)); };
async function svgPicture(svg, width, height) {
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const text = new XMLSerializer().serializeToString(svg);
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([text], {type: "image/svg+xml"}));
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width; canvas.height = height;
  canvas.getContext("2d").drawImage(image, 0, 0, width, height);
  URL.revokeObjectURL(image.src);
  return canvas.toDataURL("image/png");
}
async function run() {
  const settings = await (await fetch("/settings.json")).json();
  const data = await (await fetch("/animation.json")).json();
  const stage = document.getElementById("stage");
  stage.style.width = data.w + "px"; stage.style.height = data.h + "px";
  const animation = lottie.loadAnimation({container: stage, renderer: settings.renderer,
    loop: false, autoplay: false, animationData: data});
  await new Promise(done => animation.addEventListener("DOMLoaded", done));
  for (const frame of settings.frames) {
    animation.goToAndStop(frame, true);
    const picture = settings.renderer === "canvas"
      ? stage.querySelector("canvas").toDataURL("image/png")
      : await svgPicture(stage.querySelector("svg"), data.w, data.h);
    await report("/frame/" + frame, picture);
  }
  await report("/done", stage.firstElementChild.tagName.toLowerCase());
}
run().catch(error => report("/error", String(error && error.stack || error)));
</script></body></html>
"""


DOTLOTTIE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;background:transparent}</style>
</head><body><script type="module">
import { DotLottie } from "/dotlottie-web.js";
const report = (path, body) => fetch(path, {method: "POST", body: body});
async function run() {
  const settings = await (await fetch("/settings.json")).json();
  DotLottie.setWasmUrl("/dotlottie-player.wasm");
  const canvas = document.createElement("canvas");
  canvas.width = settings.width; canvas.height = settings.height;
  canvas.style.width = settings.width + "px"; canvas.style.height = settings.height + "px";
  document.body.appendChild(canvas);
  const player = new DotLottie({canvas, src: "/animation.lottie", autoplay: false, loop: false,
    renderConfig: {devicePixelRatio: 1, autoResize: false}});
  await new Promise((done, fail) => {
    player.addEventListener("load", done);
    player.addEventListener("loadError", event => fail(event.error));
  });
  for (const frame of settings.frames) {
    player.setFrame(frame);
    await report("/frame/" + frame, canvas.toDataURL("image/png"));
  }
  await report("/done", canvas.tagName.toLowerCase());
}
run().catch(error => report("/error", String(error && error.stack || error)));
</script></body></html>
"""


def rlottie_frames(animation: Path, frames: list[int], size: tuple[int, int]) -> list[np.ndarray]:
    """The frames as rlottie renders them."""
    rlottie = pytest.importorskip("rlottie_python", reason="the test extra installs rlottie-python")
    player = rlottie.LottieAnimation.from_file(str(animation))
    return [np.asarray(player.render_pillow_frame(frame_num=frame, width=size[0],
                                                  height=size[1]).convert("RGBA"))
            for frame in frames]


def chromium() -> str:
    """The Chromium executable, or a skip saying how to install it."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")


class _Exchange(http.server.BaseHTTPRequestHandler):
    """Serves the page, the player and the animation; collects what the page posts."""

    files: dict[str, tuple[bytes, str]]
    received: dict[int, bytes]
    errors: list[str]
    drawn_by: list[str]
    done: threading.Event

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body, kind = self.files.get(self.path.split("?")[0], (b"", ""))
        self.send_response(200 if kind else 404)
        self.send_header("Content-Type", kind or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/frame/"):
            self.received[int(self.path.rsplit("/", 1)[1])] = body
        elif self.path == "/error":
            self.errors.append(body.decode("utf-8", "replace"))
            self.done.set()
        elif self.path == "/done":
            self.drawn_by.append(body.decode())
            self.done.set()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        """Quiet: the test reports what matters."""


def lottie_web_frames(animation: bytes, frames: list[int], renderer: str = "svg") -> list[np.ndarray]:
    """The frames as lottie-web (renderer "svg" or "canvas") draws them in headless Chromium."""
    if not LOTTIE_WEB.exists():
        pytest.skip("lottie-web is not installed; run `make players` (npm install in tests/players)")
    data = json.loads(animation)
    files = {"/": (PAGE.encode(), "text/html"),
             "/lottie.min.js": (LOTTIE_WEB.read_bytes(), "text/javascript"),
             "/animation.json": (animation, "application/json")}
    return _play(files, {"renderer": renderer, "frames": frames}, (data["w"], data["h"]),
                 "lottie-web", renderer)


def dotlottie_web_frames(archive: bytes, frames: list[int],
                         size: tuple[int, int]) -> list[np.ndarray]:
    """The frames of a .lottie as LottieFiles' dotlottie-web (ThorVG in WebAssembly) draws them
    into a canvas in headless Chromium."""
    if not DOTLOTTIE_WEB.exists():
        pytest.skip("dotlottie-web is not installed; run `make players` (npm install in "
                    "tests/players)")
    files = {"/": (DOTLOTTIE_PAGE.encode(), "text/html"),
             "/dotlottie-web.js": ((DOTLOTTIE_WEB / "index.js").read_bytes(), "text/javascript"),
             "/dotlottie-player.wasm": ((DOTLOTTIE_WEB / "dotlottie-player.wasm").read_bytes(),
                                        "application/wasm"),
             "/animation.lottie": (archive, "application/zip")}
    return _play(files, {"frames": frames, "width": size[0], "height": size[1]}, size,
                 "dotlottie-web", "canvas")


def _play(files: dict[str, tuple[bytes, str]], settings: dict, size: tuple[int, int],
          player: str, drawn_into: str) -> list[np.ndarray]:
    """Serve a player page on localhost, open it in headless Chromium, and decode the PNG
    frames it posts back (the page says `drawn_into`: which element it drew into)."""
    browser = chromium()
    files = {**files, "/settings.json": (json.dumps(settings).encode(), "application/json")}
    handler = type("Exchange", (_Exchange,), {
        "files": files, "received": {}, "errors": [], "drawn_by": [], "done": threading.Event()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Chromium's helpers (renderer, zygote, crash handler) may outlive its main process and
    # keep writing to the profile: it runs in a session of its own, ended as a whole.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             f"--window-size={size[0]},{size[1]}",
             f"http://127.0.0.1:{server.server_address[1]}/"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            finished = handler.done.wait(PAGE_TIMEOUT)
        finally:
            _end_session(process)
            server.shutdown()
            server.server_close()
    assert finished, f"{player}'s page did not finish"
    assert not handler.errors, f"{player} failed: {handler.errors[0]}"
    assert handler.drawn_by == [drawn_into], f"{player} drew into {handler.drawn_by}"
    pictures = []
    for frame in settings["frames"]:
        encoded = handler.received[frame].split(b",", 1)[1]
        picture = cv2.imdecode(np.frombuffer(base64.b64decode(encoded), np.uint8),
                               cv2.IMREAD_UNCHANGED)
        pictures.append(cv2.cvtColor(picture, cv2.COLOR_BGRA2RGBA))
    return pictures


def _end_session(process: subprocess.Popen) -> None:
    """Stop Chromium, then any helper of its session that outlived it (all started here)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def difference(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Per-pixel largest channel difference of two straight-RGBA pictures, compared
    premultiplied (the colour of a transparent pixel does not matter)."""
    def premultiplied(picture: np.ndarray) -> np.ndarray:
        values = picture.astype(np.float64)
        return np.concatenate([values[..., :3] * values[..., 3:] / 255, values[..., 3:]], axis=2)

    return np.abs(premultiplied(ours) - premultiplied(theirs)).max(axis=2)
