"""What every page handler shares: reading a posted form with its token checked, and
paging through lists."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request

from truthgraph.ui.session import CSRF_FIELD, csrf_matches
from truthgraph.web.problems import Problem

PAGE_SIZE = 25
MAX_PAGE = 100_000
EXPIRED = (
    "This form has expired or was sent from another site. Go back, reload the page and "
    "submit it again."
)


async def checked_form(request: Request, *, max_files: int = 0) -> FormData:
    """The posted form, after its token was compared with the browser's cookie."""
    form = await request.form(max_files=max_files, max_fields=50)
    if not csrf_matches(request, form.get(CSRF_FIELD)):
        raise Problem(403, "form_expired", EXPIRED)
    return form


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Pages:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.last else None
