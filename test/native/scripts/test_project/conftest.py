# Makes the project folder importable by the tests (pytest puts a rootdir conftest's folder on sys.path).
