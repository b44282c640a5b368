def lib_mod(): pass
