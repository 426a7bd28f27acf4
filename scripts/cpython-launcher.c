/*
 * The smallest `python` executable of a shared-library CPython build (pyenv, python.org, most
 * virtual environments): all of the interpreter, `_PyRuntime` included, lives in
 * libpython3.X.so.1.0, which this file is linked against. scripts/install-cpython.sh builds it
 * once per version so the native tests cover that layout with Debian's own libpython.
 *
 * Py_BytesMain is declared here rather than taken from Python.h: the archive the interpreters
 * come from serves no development headers, and this one prototype is CPython's stable entry point.
 */
int Py_BytesMain(int argc, char **argv);

int main(int argc, char **argv) { return Py_BytesMain(argc, argv); }
