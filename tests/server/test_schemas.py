"""The output schemas tools/list carries, on small pydantic models: complete in structure, nulls
only where an answer can still hold one, each shared record once."""

from __future__ import annotations

from typing import Any

import jsonschema
from pydantic import BaseModel

from hostaway_mcp.server.schemas import complete_output


class Run(BaseModel):
    start: str
    nights: int


class Row(BaseModel):
    name: str | None
    city: str | None = None
    blocked: list[Run]
    gaps: list[Run]
    cells: dict[str, float | None]
    scores: list[int | None]
    kind: str | None = None


class Answer(BaseModel):
    rows: list[Row]
    note: str | None = None


class Tree(BaseModel):
    label: str
    children: list[Tree] = []


class Forest(BaseModel):
    trees: list[Tree]


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return complete_output(model.model_json_schema(mode="serialization"))


def test_every_field_at_every_depth_with_its_type_and_no_null_branch() -> None:
    schema = schema_of(Answer)
    row = schema["properties"]["rows"]["items"]
    assert schema["type"] == "object" and row["properties"]["name"] == {"type": "string"}
    assert row["properties"]["city"] == {"type": "string"}
    assert schema["properties"]["note"] == {"type": "string"}
    assert "type" not in row  # below the root a record is known by its properties
    assert set(row["properties"]) == set(Row.model_fields)


def test_nulls_stay_where_an_answer_still_sends_them() -> None:
    # exclude_none leaves out fields, not null values inside a list or a map.
    row = schema_of(Answer)["properties"]["rows"]["items"]["properties"]
    assert {"type": "null"} in row["cells"]["additionalProperties"]["anyOf"]
    assert {"type": "null"} in row["scores"]["items"]["anyOf"]


def test_a_record_used_twice_is_defined_once_and_one_used_once_is_written_in_place() -> None:
    schema = schema_of(Answer)
    assert set(schema["$defs"]) == {"Run"}  # blocked and gaps share it; Row is used once
    row = schema["properties"]["rows"]["items"]
    assert row["properties"]["blocked"]["items"] == {"$ref": "#/$defs/Run"}
    assert "title" not in str(schema) and "required" not in schema


def test_a_recursive_record_stays_referenced() -> None:
    schema = schema_of(Forest)  # used once from the root, and by itself: never inlined
    assert schema["properties"]["trees"]["items"] == {"$ref": "#/$defs/Tree"}
    tree = schema["$defs"]["Tree"]
    assert tree["properties"]["children"]["items"] == {"$ref": "#/$defs/Tree"}
    forest = {"trees": [{"label": "a", "children": [{"label": "b", "children": []}]}]}
    jsonschema.validate(forest, schema)


def test_answers_without_nulls_satisfy_the_schema() -> None:
    answer = Answer(
        rows=[
            Row(
                name=None,
                blocked=[Run(start="2026-12-01", nights=2)],
                gaps=[],
                cells={"a": None, "b": 1.5},
                scores=[1, None],
            )
        ]
    )
    data = answer.model_dump(mode="json", exclude_none=True)
    assert "name" not in data["rows"][0] and "note" not in data
    jsonschema.validate(data, schema_of(Answer))
