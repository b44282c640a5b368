def in_src_package():
    return "src is a package here, so it stays in the module name"
