class Core:
    def go(self):
        from .sub.deep import deep
        return deep()
