"""Real library workloads for the returned-frame check: each runs its library's own code in a
loop for the given number of seconds.

    python ghost_workloads.py pygments|sympy SECONDS
"""
import sys
import time


def pygments_highlight(seconds):
    """Pygments highlights a large Python file (the standard library's decimal module) to HTML."""
    import _pydecimal
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    with open(_pydecimal.__file__, encoding="utf-8") as f:
        source = f.read()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        highlight(source, PythonLexer(), HtmlFormatter())


def sympy_algebra(seconds):
    """SymPy expands, differentiates and factors polynomials, with its caches cleared so that each
    round computes again."""
    import sympy
    from sympy.core.cache import clear_cache

    x, y, z = sympy.symbols("x y z")
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        clear_cache()
        expanded = sympy.expand((x + y + z + 1) ** 8)
        sympy.factor(sympy.diff(expanded, x).subs(y, 1))


WORKLOADS = {"pygments": pygments_highlight, "sympy": sympy_algebra}

if __name__ == "__main__":
    WORKLOADS[sys.argv[1]](float(sys.argv[2]))
