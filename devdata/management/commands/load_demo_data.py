"""The former name of `seed_demo`, kept for scripts and habits."""

from .seed_demo import DEMO_PASSWORD, DEMO_USERS, Command, demo_user

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "Command", "demo_user"]
