import os.path
from os import sep as separator


def join(*parts):
    """Join path parts."""
    return separator.join(parts)


def exists(path):
    return os.path.exists(path)


class Counter:
    def __init__(self, start=0):
        self.value = start

    def bump(self):
        self.value += 1
        return self.value
