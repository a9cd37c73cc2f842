"""The one place the version is written; pyproject reads it from here."""
__version__ = "0.1.0"

#: Set when the model's numbers change without a new app version: stored results carry
#: the version they were computed with (core.project.results.engine_version) and are
#: recomputed when it differs. Empty: the app version alone.
ENGINE_TAG = ""
