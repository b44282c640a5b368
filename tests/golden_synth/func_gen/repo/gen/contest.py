def in_contest(x):  # kept: contest.py is not conftest.py
    """Compute in_contest of x."""
    a = x + 7
    b = a * 2
    return b
