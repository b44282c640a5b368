def register(key):
    return lambda fn: fn


def make_key(name):
    return name


def plain(fn):
    return fn


class App:
    def route(self, path):
        return lambda fn: fn
