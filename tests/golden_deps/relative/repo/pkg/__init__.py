def init_helper():
    return "pkg"
