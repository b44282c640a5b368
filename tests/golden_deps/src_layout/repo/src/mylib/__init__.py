from mylib.core import run  #> import: def src/mylib/core.py:run
