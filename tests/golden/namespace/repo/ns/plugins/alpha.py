def register():
    return "alpha"
