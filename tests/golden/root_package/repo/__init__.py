"""The repository root is itself a package: modules are named after it."""
from .core import Core
