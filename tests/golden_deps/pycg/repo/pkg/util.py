def fmt(x):
    return str(x)  #> builtin str
