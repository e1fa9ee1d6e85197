"""Demo data for plan (placeholder)."""


def load_demo_plan() -> bool:
    return False
