def ok():
    pass


class Klass:
    def m(self):
        return 1
      def misaligned(self):
        return 2


def last():
    pass
