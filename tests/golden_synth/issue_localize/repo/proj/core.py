"""Core module.

-- draft notes --
Some text.
"""
import functools

LIMIT = 3


def helper(x):
    return x + 1


@functools.lru_cache(maxsize=None)
def cached(x):
    return helper(x) * 2


class Engine:
    """An engine."""

    speed = 1

    def start(self):
        self.running = True
        return self

    def stop(self):
        def cleanup():
            return None

        cleanup()
        self.running = False


def last(x):
    return x
