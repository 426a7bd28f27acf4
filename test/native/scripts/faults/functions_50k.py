"""`functions_50k.py COUNT`: compiles COUNT distinct functions, each from its own exec'd source
named `<gen-I>` (function `fn_I`, body on lines 2-5), keeps them all alive and calls each once."""
import sys

COUNT = int(sys.argv[1])
TEMPLATE = """def fn_{i}(n):
    total = 0
    for k in range(n):
        total += k
    return total
"""


def create_all():
    functions = []
    for i in range(COUNT):
        namespace = {}
        exec(compile(TEMPLATE.format(i=i), "<gen-%d>" % i, "exec"), namespace)
        functions.append(namespace["fn_%d" % i])
    return functions


def call_all(functions):
    for function in functions:
        function(400)


call_all(create_all())
