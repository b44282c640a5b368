def in_env(): pass
