"""Finishing touches on the API's OpenAPI document, once FastAPI has drawn it from the routes:
every field of an answer is required, and no schema is listed that no API operation uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REF = "#/components/schemas/"


def require_every_field(document: dict[str, Any]) -> dict[str, Any]:
    """Mark every property of the schemas the API answers with as required, for the read models'
    fields with defaults too: read.to_json and the dict builders write every field (null when
    there is nothing), so a client may count on each. Pydantic leaves a field with a default
    optional, which is right only for what a client sends: schemas a request body uses are left
    as they are."""
    schemas = document.get("components", {}).get("schemas", {})
    operations = _operations(document)
    answered = _reachable(
        schemas,
        (
            answer
            for op in operations
            for code, answer in op.get("responses", {}).items()
            if code.startswith("2")
        ),
    )
    asked = _reachable(schemas, (op["requestBody"] for op in operations if "requestBody" in op))
    for name in answered - asked:
        schema = schemas[name]
        if "properties" in schema:
            schema["required"] = list(schema["properties"])
    return document


def drop_unused_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Leave out the schemas no operation of the document uses (the pages' form bodies: the
    document is drawn from every route, then keeps the API's paths only)."""
    schemas = document.get("components", {}).get("schemas", {})
    used = _reachable(schemas, [document.get("paths", {})])
    for name in set(schemas) - used:
        del schemas[name]
    return document


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for ops in document.get("paths", {}).values() for op in ops.values()]


def _reachable(schemas: dict[str, Any], roots: Iterable[Any]) -> set[str]:
    """The names of the component schemas that roots refer to, directly or through others."""
    found: set[str] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF):
                name = ref.removeprefix(REF)
                if name not in found and name in schemas:
                    found.add(name)
                    todo.append(schemas[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found
