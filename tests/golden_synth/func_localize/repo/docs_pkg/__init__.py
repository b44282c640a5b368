"""The package's docstring: a module is not a target."""
