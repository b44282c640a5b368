def in_tests_dir(x):  # excluded: tests/
    """Compute in_tests_dir of x."""
    a = x + 1
    b = a * 2
    return b
