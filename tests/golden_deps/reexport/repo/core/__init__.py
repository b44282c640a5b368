from .engine import run  #> import: def core/engine.py:run
