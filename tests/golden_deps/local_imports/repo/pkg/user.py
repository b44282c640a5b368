def imports_name_inside():
    from pkg.util import helper  #> import: def pkg/util.py:helper
    return helper()  #> dep pkg/util.py:helper


def imports_module_inside():
    import pkg.util  #> import: module pkg/__init__.py
    return pkg.util.other()  #> dep pkg/util.py:other


def imports_relative_inside():
    from .util import other as o  #> import: def pkg/util.py:other
    return o()  #> dep pkg/util.py:other as o


def not_imported_here():
    # the imports above are local to their functions: here helper is unbound
    return helper()  #> unresolved
