"""The package's docstring: a module is not a target."""
# Convert the raw value into a display string.  (text.elsewhere's first sentence: found elsewhere)
