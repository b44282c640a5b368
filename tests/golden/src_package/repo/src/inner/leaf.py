class Leaf:
    pass
