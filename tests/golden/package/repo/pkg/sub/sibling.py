NAME = "sibling"


def helper():
    return NAME
