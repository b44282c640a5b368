def make_fixture():
    """Make a fixture: testing/ is not a test directory."""
    return {}
