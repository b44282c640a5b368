def greet(name):
    """Say hello."""
    return f"hello {name}"
