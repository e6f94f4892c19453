"""The one domain error: a change was refused, here is why.

Lifecycle steps (the services' `_transition` frame and the lifecycle table)
and writes of execution and money records raise it; nothing was changed.
Views turn it into form errors or messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Refused(Exception):
    """A refused change; nothing was changed. Messages are translated.

    `fields` maps a message to the fields it is about (earlier first), so that
    a form can show it next to the last of them it has; `projects` names
    earlier projects a message refers to, so that pages can link to them.
    """

    def __init__(
        self,
        *messages: str,
        projects: Iterable[Any] = (),
        fields: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__(*messages)
        self.messages = [str(m) for m in messages]
        self.projects = list(projects)
        self.fields = fields or {}

    def __str__(self) -> str:
        return " ".join(self.messages)
