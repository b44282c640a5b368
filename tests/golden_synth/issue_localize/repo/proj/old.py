def gone():
    return 1


class Gone:
    def method(self):
        return 2
