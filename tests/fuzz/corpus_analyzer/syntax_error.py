def ok():
    pass


def broken(:
    pass


class After:
    def m(self):
        return [1, 2,
