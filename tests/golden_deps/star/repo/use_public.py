from lib.no_all import *  #> import: module lib/no_all.py


def calls_public():
    # without __all__ every public name is bound, imported ones too
    return visible(), deep_fn()  #> dep lib/no_all.py:visible ; dep lib/deep.py:deep_fn


def calls_private():
    # names starting with "_" are not bound by `import *`
    return _hidden()  #> unresolved
