def in_test_suffixed(x):  # excluded: *_test.py
    """Compute in_test_suffixed of x."""
    a = x + 5
    b = a * 2
    return b
