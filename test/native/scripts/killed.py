"""Busy until killed."""


def spin_forever():
    n = 0
    while True:
        n = (n * 31 + 7) % 1000003


if __name__ == "__main__":
    spin_forever()
