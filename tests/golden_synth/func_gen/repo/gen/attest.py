def in_attest(x):  # kept: attest.py does not start with test_
    """Compute in_attest of x."""
    a = x + 10
    b = a * 2
    return b
