def in_testing_dir(x):  # kept: testing/ is not tests/ or test/
    """Compute in_testing_dir of x."""
    a = x + 9
    b = a * 2
    return b
