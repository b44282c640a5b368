def pytest_configure(config):
    """conftest.py is excluded."""
    config.x = 1
