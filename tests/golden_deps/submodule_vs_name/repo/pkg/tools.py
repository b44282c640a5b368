def f():
    return "tools"
