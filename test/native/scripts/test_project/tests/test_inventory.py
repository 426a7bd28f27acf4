import pytest

import inventory


@pytest.fixture
def items():
    inventory.spin(0.1)  # FIXTURE
    return [("anvil", 50), ("feather", 1), ("brick", 3)]


@pytest.mark.parametrize("scale", [1, 2])
def test_total_weight(items, scale):
    assert inventory.total_weight(items) * scale == 54 * scale


class TestHeaviest:
    def test_anvil(self, items):
        assert inventory.heaviest(items) == "anvil"

    def test_wrong(self, items):
        assert inventory.heaviest(items) == "feather"  # FAILS
