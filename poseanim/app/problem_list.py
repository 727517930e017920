"""The rig editor's problem list: what `poseanim rig check` says of the document as it stands.

It is refreshed a moment after each edit, so a joint dragged into a bad place shows its
problem, with the fix, before the file is saved.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from poseanim.rigging.check import CheckReport

SEVERITY_COLOURS = {"error": "#c62828", "warning": "#b26a00", "note": "#546e7a"}


class ProblemList(QListWidget):
    """The report's summary in bold, then each problem with its fix, in its severity's colour
    (its code as the tooltip)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)

    def show_report(self, report: CheckReport, opened: bool) -> None:
        """Show `report`; `opened`: it is the check of the file as it was opened."""
        self.clear()
        header = QListWidgetItem(report.summary() + (" (as the file was opened)" if opened else ""))
        header.setFont(QFont("Sans", 9, QFont.Weight.Bold))
        self.addItem(header)
        for problem in report.problems:
            item = QListWidgetItem(f"{problem.severity}: {problem.message}\n    fix: {problem.fix}")
            item.setForeground(QColor(SEVERITY_COLOURS[problem.severity]))
            item.setToolTip(problem.code)
            self.addItem(item)
