"""What the centre shows when no project is open: what the app is, and the three ways in."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    sampleRequested = Signal()

    def __init__(self):
        super().__init__()
        self.setObjectName("welcomePage")
        title = QLabel("<h2>No project open</h2>")
        text = QLabel(
            "A project is one <b>.aisite</b> file holding your sites, scenarios and variants, "
            "your own catalogue entries and results. Every edit is saved as you make it.")
        text.setWordWrap(True)
        text.setMaximumWidth(560)
        text.setMinimumWidth(160)  # word-wrapped labels otherwise shrink to a narrow column
        # Stacked, not side by side: the centre may be narrow when the docks are wide.
        buttons = QVBoxLayout()
        for label, name, signal in (("New project…", "welcomeNew", self.newRequested),
                                    ("Open project…", "welcomeOpen", self.openRequested),
                                    ("Open the sample project", "welcomeSample", self.sampleRequested)):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addStretch(2)
        layout.setContentsMargins(24, 24, 24, 24)
