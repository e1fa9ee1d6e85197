"""Demo data for inventory (placeholder)."""


def load_demo_inventory() -> bool:
    return False
