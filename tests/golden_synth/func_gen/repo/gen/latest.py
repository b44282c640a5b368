def in_latest(x):  # kept: latest.py does not end in _test.py
    """Compute in_latest of x."""
    a = x + 8
    b = a * 2
    return b
