def in_nested_tests_dir(x):  # excluded: a tests/ component deeper down
    """Compute in_nested_tests_dir of x."""
    a = x + 3
    b = a * 2
    return b
