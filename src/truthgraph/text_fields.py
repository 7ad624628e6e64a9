"""Pydantic field types for text that arrives in request bodies, built on the shared
text check (text_checks.py), and the base of every input model. Both the API's
schemas and the upload bodies that ingest/ reads use them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from truthgraph.text_checks import MAX_ID_CHARS, id_problem, text_problem

# The error type of a text the shared check refuses; the 422 answer's code names it.
INVALID_TEXT = "invalid_text"
# The constraints the checks below enforce, stated in the OpenAPI document so that
# generated clients and fuzzers know them. Declared, not enforced by pydantic: the
# checks give each refusal its stable code (invalid_text, invalid_claim...).
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
# A document needs a word: passages are sentences with words.
HAS_WORD = r"^[^\x00]*\w[^\x00]*$"


def _storable(value: Any) -> Any:
    # Runs before pydantic's own string check, which refuses a lone surrogate with a
    # generic "not a valid string" instead of naming the character.
    if isinstance(value, str) and (problem := text_problem(value)) is not None:
        raise PydanticCustomError(INVALID_TEXT, "the text {problem}", {"problem": problem})
    return value


def _usable_id(value: str) -> str:
    if (problem := id_problem(value)) is not None:
        raise PydanticCustomError(INVALID_TEXT, "the id {problem}", {"problem": problem})
    return value


# Text fields of every request: refused if not storable (NUL, unpaired surrogates).
Text = Annotated[str, Field(json_schema_extra={"pattern": NO_NUL}), BeforeValidator(_storable)]
# Text that must hold more than whitespace (claims, queries, document text).
NonBlankText = Annotated[
    str, Field(json_schema_extra={"pattern": NOT_BLANK}), BeforeValidator(_storable)
]
Identifier = Annotated[
    str,
    Field(min_length=1, max_length=MAX_ID_CHARS, json_schema_extra={"pattern": NOT_BLANK}),
    BeforeValidator(_storable),
    AfterValidator(_usable_id),
]


class InputModel(BaseModel):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")
