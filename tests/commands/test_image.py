"""`poseanim image`, `track` and `list` end to end, including every user error."""

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, PHOTO
from poseanim.render.png import png_to_rgba
from svg_factory import HEADER, limb_shapes, rigged_svg

TRACK = DATA / "astronaut_pose.json"


@pytest.fixture
def simple_svg(tmp_path) -> Path:
    path = tmp_path / "simple.svg"
    path.write_text(rigged_svg())
    return path


def picture(path: Path) -> np.ndarray:
    return png_to_rgba(path.read_bytes())


def test_photo_to_svg_and_png_in_photo_space(run_cli, tmp_path, simple_svg):
    out = tmp_path / "posed.svg"
    code, stdout, _ = run_cli("image", PHOTO, "-i", simple_svg, "-o", out)
    assert code == 0
    assert stdout.split() == [str(out), str(out.with_suffix(".png"))]
    root = ET.parse(out).getroot()
    x, y, width, height = map(float, root.get("viewBox").split())
    # the photo's canvas, grown downward where her body runs out of the picture: never cropped
    assert (x, y, width) == (0, 0, 512) and height > 512
    image = picture(out.with_suffix(".png"))
    assert image.shape == (round(height), 512, 4)
    # The head ellipse is drawn where her face is (skin colour around the nose tip at ~(224, 127)).
    assert np.abs(image[127, 224, :3].astype(int) - [0xF2, 0xC9, 0xA0]).max() < 40


def test_png_only_with_fit_size_and_transparency(run_cli, tmp_path, simple_svg):
    out = tmp_path / "fit.png"
    code, stdout, _ = run_cli("image", "--track", TRACK, "-i", simple_svg, "-o", out, "--fit",
                              "--width", "300", "--background", "none")
    assert code == 0 and stdout.split() == [str(out)]
    image = picture(out)
    assert image.shape == (450, 300, 4)
    assert image[0, 0, 3] == 0 and image[..., 3].max() == 255
    assert not out.with_suffix(".svg").exists()


def test_overlay_and_debug_pictures(run_cli, tmp_path, simple_svg, photo_rgb):
    out, debug = tmp_path / "over.svg", tmp_path / "debug.png"
    code, _, _ = run_cli("image", PHOTO, "-i", simple_svg, "-o", out, "--overlay", "--debug", debug)
    assert code == 0
    overlay = picture(out.with_suffix(".png"))
    # Away from the character the photo shows through unchanged (the flag at top left).
    assert np.abs(overlay[40, 20, :3].astype(int) - photo_rgb[40, 20]).max() < 25
    assert "data:image/jpeg;base64," in out.read_text()
    assert picture(debug).shape[:2] == (512, 512)


def no_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("setup, args, message", [
    (lambda d: (d / "b.svg").write_text("<svg><g></svg>"), ["-i", "{d}/b.svg"], "not valid XML"),
    (lambda d: (d / "n.svg").write_text(f'{HEADER}<g id="illustration">{limb_shapes()}</g></svg>'),
     ["-i", "{d}/n.svg"], "no 'skeleton' group"),
    (None, ["-i", "nosuchname"], "no illustration file or bundled illustration named 'nosuchname'"),
    (lambda d: (d / "x.jpg").write_bytes(b"not a jpeg"), ["{d}/x.jpg"], "is not a picture"),
    (None, ["{d}/absent.jpg"], "no such file"),
    (None, ["-o", "{d}/nofolder/out.svg"], "folder .* does not exist"),
    (None, ["-o", "{d}/out.gif"], "must end in .svg or .png"),
    (None, ["--width", "0"], "--width must be between"),
    (None, ["--overlay", "--fit"], "choose one"),
])
def test_user_errors_are_one_line_and_leave_nothing(run_cli, tmp_path, setup, args, message):
    work = tmp_path / "work"
    work.mkdir()
    if setup:
        setup(work)
    before = no_leftovers(work)
    args = [a.format(d=work) for a in args]
    photo = [a for a in args if a.endswith(".jpg")] or [str(PHOTO)]
    rest = [a for a in args if not a.endswith(".jpg")]
    if "-o" not in rest:
        rest += ["-o", str(work / "out.svg")]
    code, stdout, stderr = run_cli("image", *photo, *rest)
    assert code == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("poseanim: error: ")
    assert __import__("re").search(message, lines[0]), lines[0]
    assert "Traceback" not in stderr and stdout == ""
    assert no_leftovers(work) == before


def test_no_person_in_photo(run_cli, tmp_path, photo_rgb):
    import cv2

    empty = tmp_path / "rocket.png"
    cv2.imwrite(str(empty), cv2.cvtColor(cv2.resize(photo_rgb[0:300, 360:512], (256, 505)),
                                         cv2.COLOR_RGB2BGR))
    code, _, stderr = run_cli("image", empty, "-o", tmp_path / "o.svg")
    assert code == 1 and "no person found" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rocket.png"]


def test_failed_write_keeps_the_previous_file(run_cli, tmp_path, simple_svg, monkeypatch):
    out = tmp_path / "keep.svg"
    out.write_text("previous result")
    import poseanim.render.writers as writers
    from poseanim.render.cairo_painter import CairoPainter

    def failing_render(*args, **kwargs):
        raise MemoryError("simulated failure while rendering")

    monkeypatch.setattr(writers, "render_png", failing_render)  # either engine fails
    monkeypatch.setattr(CairoPainter, "paint", failing_render)
    with pytest.raises(MemoryError):
        run_cli("image", "--track", TRACK, "-i", simple_svg, "-o", out.with_suffix(".png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.svg", "simple.svg"]
    assert out.read_text() == "previous result"


def test_missing_joint_warns_and_still_poses(run_cli, tmp_path):
    from svg_factory import skeleton_group

    path = tmp_path / "nowrist.svg"
    path.write_text(rigged_svg(skeleton=skeleton_group(omit=("rightWrist",))))
    code, _, stderr = run_cli("image", "--track", TRACK, "-i", path, "-o", tmp_path / "o.svg")
    assert code == 0 and "lacks joint(s) rightWrist" in stderr


def test_elements_that_cannot_be_deformed_are_named_in_a_warning(run_cli, tmp_path):
    path = tmp_path / "text.svg"
    path.write_text(rigged_svg(body=limb_shapes() + "<text>hello</text>"))
    code, _, stderr = run_cli("image", "--track", TRACK, "-i", path, "-o", tmp_path / "o.svg")
    assert code == 0
    assert "1 element(s) of" in stderr and "Object to Path" in stderr
    assert "hello" not in (tmp_path / "o.svg").read_text()


def test_content_outside_the_illustration_is_warned_about_or_bound_to_the_torso(tmp_path, run_cli):
    import re

    from svg_factory import rigged_svg

    drawing = tmp_path / "hat.svg"
    drawing.write_text(rigged_svg().replace(
        "</svg>", '<path id="badge" d="M290,300 L310,300 L300,320 Z"/></svg>'))
    track = Path(__file__).resolve().parent.parent / "data" / "star_pose.json"
    outputs = {}
    for mode in ("static", "torso"):
        out = tmp_path / f"{mode}.svg"
        code, _, err = run_cli("image", "--track", track, "-i", drawing, "-o", out, "--no-png",
                               "--outside", mode)
        assert code == 0, err
        outputs[mode] = re.search(r'id="badge"[^>]*', out.read_text()).group(0)
        assert ("outside the 'illustration' group" in err) is (mode == "static")
    assert 'd="M290,300 L310,300 L300,320 Z"' in outputs["static"]  # left as drawn
    assert "L310,300" not in outputs["torso"]  # posed with the torso
