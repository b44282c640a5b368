def cached(): pass
