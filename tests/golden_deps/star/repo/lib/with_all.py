__all__ = ["pub", "Klass"]


def pub():
    return "pub"


def not_listed():
    return "public, but not in __all__"


class Klass:
    pass
