from mylib import run  #> import: def src/mylib/core.py:run
from .core import helper  #> import: def src/mylib/core.py:helper


def main():
    return run(), helper()  #> dep src/mylib/core.py:run ; dep src/mylib/core.py:helper
