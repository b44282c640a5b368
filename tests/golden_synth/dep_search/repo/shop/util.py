"""Helpers the targets call.  None of them calls another definition of the repository.

Their decorator lines lie more than 5 lines apart: two dependencies of one target
closer than that in one file make dep_search drop the target as ungradeable
(tight.py has those).
"""


class ShopError(Exception):
    """Raised when an amount is wrong."""


# ------------------------------------------------------------------------------


class Money:
    def __init__(self, cents):
        self.cents = cents


# ------------------------------------------------------------------------------


def fmt(value):
    return "%d.%02d" % (value // 100, value % 100)


# ------------------------------------------------------------------------------


def clamp(value, low, high):
    return max(low, min(value, high))  #> builtin max ; builtin min


# ------------------------------------------------------------------------------


def log(message):
    print(message)  #> builtin print


# ------------------------------------------------------------------------------


def _secret(value):
    return value * 7


# ------------------------------------------------------------------------------


def traced(func):
    return func


# ------------------------------------------------------------------------------


def tagged(label):
    return traced
