def in_conftest(x):  # excluded: conftest.py
    """Compute in_conftest of x."""
    a = x + 6
    b = a * 2
    return b
