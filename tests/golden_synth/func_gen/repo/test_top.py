def in_test_prefixed(x):  # excluded: test_*.py
    """Compute in_test_prefixed of x."""
    a = x + 4
    b = a * 2
    return b
