from pkg import mod  #> import: module pkg/mod.py
from pkg import version  #> import: def pkg/__init__.py:version
from pkg.tools import f  #> import: def pkg/tools.py:f


def use_submodule():
    # `from pkg import mod` binds the submodule pkg/mod.py
    return mod.f()  #> dep pkg/mod.py:f


def use_name():
    # `from pkg.tools import f` binds the function itself
    return f()  #> dep pkg/tools.py:f


def use_package_name():
    # a name defined in pkg/__init__.py
    return version()  #> dep pkg/__init__.py:version


def both():
    return mod.g(), f()  #> dep pkg/mod.py:g ; dep pkg/tools.py:f
