"""AI Site Planner core: models, kernels, persistence and reports. Never imports Qt."""
from aisite.core.version import __version__

__all__ = ["__version__"]
