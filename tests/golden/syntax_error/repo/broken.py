import os


def before(x):
    """Parsed before the error."""
    return os.path.join(x, "a")


def broken(a, b):
    if a b:
        pass


class After:
    def method(self):
        return before("b")


def tail():
    pass
