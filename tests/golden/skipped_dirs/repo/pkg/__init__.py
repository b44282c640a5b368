def pkg_init(): pass
