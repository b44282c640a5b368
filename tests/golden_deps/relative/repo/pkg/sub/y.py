def f():
    return "y f"


def fy2():
    return "y fy2"
