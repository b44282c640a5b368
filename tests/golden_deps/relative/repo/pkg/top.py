from .sub import sub_f  #> import: def pkg/sub/y.py:f


def g():
    return "top g"


def h():
    return "top h"


def uses_sub():
    # pkg/sub/__init__.py re-exports y.f as sub_f
    return sub_f()  #> dep pkg/sub/y.py:f as sub_f
