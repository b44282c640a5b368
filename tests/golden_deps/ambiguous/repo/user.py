from platform_dep import sep


def use():
    return sep()  #> dep platform_dep.py:sep@3 | dep platform_dep.py:sep@6
