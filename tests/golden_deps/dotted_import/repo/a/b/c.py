def f():
    return "a.b.c f"


def g():
    return "a.b.c g"
