from ns.plugins import alpha


def register():
    return alpha.register() + "beta"
