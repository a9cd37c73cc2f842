"""Message boxes through one hook, so tests can intercept them.

Every dialog the app shows to report or ask goes through `ask` / `tell`. Tests set
`messages.hook = callable(kind, title, text, buttons) -> answer` to record the
message and answer it without a modal loop; in the app the hook is None and a real
QMessageBox is shown.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

#: kind is "information", "warning", "critical" or "question"; returns the button pressed.
Hook = Callable[[str, str, str, QMessageBox.StandardButton], QMessageBox.StandardButton]
hook: Hook | None = None
log: list[tuple[str, str, str]] = []


def _show(parent: QWidget | None, kind: str, title: str, text: str,
          buttons: QMessageBox.StandardButton, default: QMessageBox.StandardButton,
          labels: dict | None = None) -> QMessageBox.StandardButton:
    log.append((kind, title, text))
    if hook is not None:
        return hook(kind, title, text, buttons)
    icon = {"information": QMessageBox.Icon.Information, "warning": QMessageBox.Icon.Warning,
            "critical": QMessageBox.Icon.Critical, "question": QMessageBox.Icon.Question}[kind]
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setDefaultButton(default)
    for button, label in (labels or {}).items():  # say what each choice does
        box.button(button).setText(label)
    return QMessageBox.StandardButton(box.exec())


def tell(parent: QWidget | None, kind: str, title: str, text: str) -> None:
    _show(parent, kind, title, text, QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Ok)


def ask(parent: QWidget | None, title: str, text: str,
        buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.No,
        labels: dict | None = None) -> QMessageBox.StandardButton:
    """`labels` names the buttons ({Yes: "Continue editing"}); the hook still gets the standard ones."""
    return _show(parent, "question", title, text, buttons, default, labels)


def lost_edits(count: int) -> str:
    return f"{count} saved edit{'s' if count != 1 else ''}"


def log_damage_text(name: str, damage) -> str:
    """The question asked when a project's write-ahead log is damaged (core.project.wal.WalDamage)."""
    kept = (f"The damaged log is kept beside the project as {damage.kept_as}, so nothing is deleted."
            if damage.kept_as else "")
    return (f"{name}: its write-ahead log is damaged. {lost_edits(damage.lost_commits)} made after the last "
            f"intact one could not be recovered; the project is open read-only as it was before "
            f"{'them' if damage.lost_commits != 1 else 'it'}.\n\n{kept}\n\n"
            f"Accept the loss and continue editing from there? Keeping it read-only lets you save a copy "
            f"first; you can still accept later with \"Accept the loss and edit…\" in the status bar.")
