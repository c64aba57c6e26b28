"""The reform demo: a unit's breakthrough, a Rakor decision asking for breakthroughs, a ZI pack."""


def load_reform_demo(users: dict) -> str:  # type: ignore[type-arg]
    return ""
