"""AI Site Planner core: models, kernels, persistence and reports. Never imports Qt."""
from core.version import __version__

__all__ = ["__version__"]
