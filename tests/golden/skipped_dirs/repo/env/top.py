def env_top(): pass
