class Engine:
    """Runs things."""

    def __init__(self, name):
        self.name = name

    def start(self):
        self._warm_up()
        return self.run()

    def _warm_up(self):
        pass

    def run(self):
        return self.name
