import ns.plugins.beta


def run():
    return ns.plugins.beta.register()
