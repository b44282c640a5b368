from pkg import widgets
from pkg.errors import AppError, NotFound


def make():
    # calling a class is a dependency on the class, with or without __init__
    return widgets.Widget("w"), widgets.Plain()  #> dep pkg/widgets.py:Widget ; dep pkg/widgets.py:Plain


def fail(key):
    if not key:
        raise AppError("empty")  #> dep pkg/errors.py:AppError
    raise NotFound(key)  #> dep pkg/errors.py:NotFound


def check(x):
    # a class that is only referenced is not called
    return isinstance(x, widgets.Widget)  #> builtin isinstance
