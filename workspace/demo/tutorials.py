"""Demo data for tutorials (placeholder)."""


def load_demo_tutorials() -> bool:
    return False
