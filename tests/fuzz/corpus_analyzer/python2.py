print "hello"
exec "x = 1"
def f(a, (b, c)):
    return `a` <> 0777
