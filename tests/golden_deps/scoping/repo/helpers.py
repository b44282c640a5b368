def helper():
    return 1


def other():
    return 2


def imported_fn():
    return 3
