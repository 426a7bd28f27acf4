import unittest

import inventory


class InventoryCase(unittest.TestCase):
    def setUp(self):
        self.items = [("anvil", 50), ("feather", 1)]

    def test_total(self):
        self.assertEqual(inventory.total_weight(self.items), 51)

    def test_heaviest(self):
        self.assertEqual(inventory.heaviest(self.items), "anvil")


if __name__ == "__main__":
    unittest.main()
