"""The Humas demo: channels, stories and social figures for Kanwil Sulsel and its offices."""


def load_humas_demo(users: dict) -> str:  # type: ignore[type-arg]
    return ""
