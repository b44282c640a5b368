"""A regular package with a subpackage."""
from .core import Engine
from . import sub

__all__ = ["Engine", "sub"]
