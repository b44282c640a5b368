def f():
    return "mod"


def g():
    return "mod g"
