def mid():
    return "a.b"
