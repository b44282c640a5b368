from lib.with_all import *  #> import: module lib/with_all.py


def calls_listed():
    return pub(), Klass()  #> dep lib/with_all.py:pub ; dep lib/with_all.py:Klass


def calls_unlisted():
    # not in __all__: `import *` does not bind it, so this is a NameError
    return not_listed()  #> unresolved
