def in_test_dir(x):  # excluded: test/
    """Compute in_test_dir of x."""
    a = x + 2
    b = a * 2
    return b
