"""Settings shared by the other modules."""
DEBUG = False
__all__ = ["DEBUG", "get"]


def get(name, default=None):
    return globals().get(name, default)
