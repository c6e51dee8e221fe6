"""The fake's Web API methods, one module per family; each registers its methods on import.

Every module in this package is loaded, so a new method needs only its module (or a function
in an existing one) and its `register(...)` line.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    """Import every method module (each registers what it answers)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
