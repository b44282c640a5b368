from lib.deep import deep_fn  #> import: def lib/deep.py:deep_fn


def visible():
    return "visible"


def _hidden():
    return "hidden"
