from .y import f as sub_f  #> import: def pkg/sub/y.py:f


def sub_init():
    return "pkg.sub"
