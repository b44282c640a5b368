# a chain of two packages: api re-exports what core re-exports from core.engine
from core import run  #> import: def core/engine.py:run
