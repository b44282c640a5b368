def top():
    return "a"
