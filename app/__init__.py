"""AI Site Planner desktop app (PySide6). Imports Qt only in modules that need it."""
