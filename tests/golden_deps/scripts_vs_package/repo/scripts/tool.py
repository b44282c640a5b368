# A script: run as `python scripts/tool.py`, its own directory comes first on
# sys.path, so its siblings are importable by their bare names and the
# sibling json.py shadows the standard library's json.
import helpers  #> import: module scripts/helpers.py
import json  #> import: module scripts/json.py
from helpers import assist  #> import: def scripts/helpers.py:assist


def main():
    return helpers.other(), assist(), json.dumps({})  #> dep scripts/helpers.py:other ; dep scripts/helpers.py:assist ; dep scripts/json.py:dumps
