"""Take the pictures of docs/rigging.md from the real commands and the real editor window.

    xvfb-run -s "-screen 0 1600x1000x24" python tools/screenshots/rigging.py

Also writes examples/rigging/ada-plain.svg, the plain drawing the tutorial rigs: Ada with her
skeleton and her illustration group taken away, as a drawing program would export her.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from poseanim.app.rig_editor import RigEditor
from poseanim.rigging.sample_poses import pose_named
from poseanim.illustration import bundled_illustrations, load_illustration
from poseanim.render.images import write_image
from poseanim.render.png import png_to_rgba, render_png
from poseanim.render.svg_writer import svg_text
from poseanim.rigging.auto_rig import rig_drawing
from poseanim.rigging.editing import RigDocument
from poseanim.rig.template import template_svg

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "docs" / "images"
PLAIN = REPO / "examples" / "rigging" / "ada-plain.svg"


def plain_ada() -> None:
    """Ada as a plain drawing: no skeleton group, no illustration group."""
    text = bundled_illustrations()["ada"].read_text(encoding="utf-8")
    text = re.sub(r'<g id="skeleton".*?</g>\s*', "", text, flags=re.S)
    text = text.replace('<g id="illustration">\n', "", 1).replace("</g>\n</svg>", "</svg>")
    PLAIN.parent.mkdir(exist_ok=True)
    PLAIN.write_text(text, encoding="utf-8")


def template_picture() -> None:
    rgba = png_to_rgba(render_png(template_svg().encode(), width=1260, background="white"))
    write_image(IMAGES / "rig-template.png", rgba[..., :3])


def faces_picture() -> None:
    """Each bundled character's face at rest, with the eyes closed and with the mouth open."""
    rows = []
    for name in sorted(bundled_illustrations()):
        character = load_illustration(name)
        joints = character.drawing.joints
        centre = (joints["leftJaw2"] + joints["rightJaw2"]) / 2
        tiles = []
        for pose in (character.rest_pose(), pose_named("eyes closed", joints, (600, 900)),
                     pose_named("mouth open", joints, (600, 900))):
            rgb = png_to_rgba(render_png(svg_text(character.pose(pose), 3, "white"), scale=2))
            x, y = (centre * 2).astype(int)
            tiles.append(cv2.resize(rgb[y - 250:y + 210, x - 260:x + 260, :3], (390, 345),
                                    interpolation=cv2.INTER_AREA))
        rows.append(np.hstack(tiles))
    write_image(IMAGES / "rig-eyes-mouth.png", np.vstack(rows))


def editor_pictures(folder: Path) -> None:
    os.chdir(folder)  # the window shows the file's name as a user would type it
    rigged = Path("ada-rigged.svg")
    result = rig_drawing(PLAIN, auto=True)
    rigged.write_bytes(result.document.to_bytes())
    print(result.placement)

    editor = RigEditor(RigDocument.open(rigged))
    editor.resize(1500, 900)
    editor.show()
    QTest.qWaitForWindowExposed(editor)
    QTest.qWait(300)
    editor.canvas.grab().save(str(IMAGES / "rig-init.png"))

    editor.mirror_action.setChecked(True)
    elbow = editor.canvas.view().map(QPointF(*editor.joints["leftElbow"])).toPoint()
    QTest.mousePress(editor.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, elbow)
    QTest.mouseMove(editor.canvas, elbow + QPoint(6, 4))
    QTest.mouseRelease(editor.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       elbow + QPoint(6, 4))
    editor.pose_list.setCurrentRow(2)  # wave
    editor.amount.setValue(60)
    QTest.qWait(600)
    editor.grab().save(str(IMAGES / "rig-editor.png"))

    editor.weights_action.setChecked(True)
    wrist = editor.canvas.view().map(QPointF(*editor.joints["leftElbow"])).toPoint()
    QTest.mouseClick(editor.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, wrist)
    QTest.qWait(300)
    editor.canvas.grab().save(str(IMAGES / "rig-weights.png"))

    editor.weights_action.setChecked(False)
    editor.canvas.selected = ""
    editor.canvas.zoom_to_face()
    editor.pose_list.setCurrentRow(6)  # eyes closed
    editor.amount.setValue(100)
    QTest.mouseMove(editor.canvas, editor.canvas.view().map(
        QPointF(*editor.joints["leftEye1"])).toPoint())
    QTest.qWait(300)
    editor.grab().save(str(IMAGES / "rig-face.png"))
    editor.undo_stack.setClean()
    editor.close()


def main() -> None:
    import tempfile

    app = QApplication([sys.argv[0]])
    plain_ada()
    template_picture()
    faces_picture()
    with tempfile.TemporaryDirectory() as folder:
        editor_pictures(Path(folder))
    app.quit()


if __name__ == "__main__":
    main()
