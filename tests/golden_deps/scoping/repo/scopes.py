from helpers import imported_fn
from helpers import other as renamed


def helper():
    return "global"


def step():
    return "global step"


def shadow_by_assignment():
    helper = renamed
    return helper()  #> dep helpers.py:other as helper


def shadow_by_parameter(helper):
    return helper()  #> unresolved


def shadow_by_nested_def():
    def helper():
        return "local"

    return helper()  #> dep shadow_by_nested_def.<locals>.helper


def uses_globals():
    return helper() + later()  #> dep helper ; dep later


def uses_import():
    return imported_fn()  #> dep helpers.py:imported_fn


def outer():
    def step():
        return 1

    def inner():
        # step is outer's local, not the global step
        return step() + helper()  #> dep outer.<locals>.step ; dep helper

    return inner()  #> dep outer.<locals>.inner


def open(path):
    return path


def shadows_builtin():
    return open("x"), len("x")  #> dep open ; builtin len


class Widget:
    def helper(self):
        return "method"

    def run(self):
        # the class body does not enclose its methods: the global helper
        return helper()  #> dep helper


def later():
    return 0
