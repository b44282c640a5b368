def tox(): pass
