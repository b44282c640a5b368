def activate(): pass
