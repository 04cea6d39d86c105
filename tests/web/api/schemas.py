"""Reading an OpenAPI document strictly: where a schema says nothing (an empty `{}`, an object
without properties, an array without items), and where a JSON body differs from its schema,
key for key (a field missing or not declared is a difference, as is a type or a time that is
not ISO 8601 with its offset)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

REF = "#/components/schemas/"


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema a $ref names (followed until there is none), else the schema itself."""
    seen = 0
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith(REF), ref
        schema = document["components"]["schemas"][ref.removeprefix(REF)]
        seen += 1
        assert seen < 50, f"a loop of $refs at {ref}"
    return schema


def untyped(document: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    """Every place under schema that does not say what it holds."""
    found: list[str] = []
    done: set[str] = set()

    def walk(node: dict[str, Any], at: str) -> None:
        ref = node.get("$ref")
        if ref is not None:
            if ref in done:
                return
            done.add(ref)
            at = ref.removeprefix(REF)
        node = resolve(document, node)
        options = node.get("anyOf") or node.get("oneOf") or node.get("allOf")
        if options:
            for n, option in enumerate(options):
                walk(option, f"{at}|{n}")
            return
        kind = node.get("type")
        if kind is None and "enum" not in node and "const" not in node:
            found.append(f"{at}: no type ({node or '{}'})")
        elif kind == "object":
            properties = node.get("properties")
            if not properties:
                found.append(f"{at}: an object with no properties")
            for name, child in (properties or {}).items():
                walk(child, f"{at}.{name}")
        elif kind == "array":
            items = [*node.get("prefixItems", []), *([node["items"]] if "items" in node else [])]
            if not items:
                found.append(f"{at}: an array of anything")
            for child in items:
                walk(child, f"{at}[]")

    walk(schema, where)
    return found


def differences(
    document: dict[str, Any], schema: dict[str, Any], value: Any, at: str = "body"
) -> list[str]:
    """Where value is not what schema declares; [] when it is, exactly."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        tries = [differences(document, option, value, at) for option in schema["anyOf"]]
        if any(not t for t in tries):
            return []
        return [f"{at}: {value!r:.80} is none of its anyOf", *min(tries, key=len)]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{at}: {value!r} not in {schema['enum']}"]
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{at}: not an object: {value!r:.80}"]
        declared = schema.get("properties", {})
        out = [f"{at}: {k!r} is not declared" for k in value if k not in declared]
        out += [f"{at}: {k!r} is missing" for k in declared if k not in value]
        for name, child in declared.items():
            if name in value:
                out += differences(document, child, value[name], f"{at}.{name}")
        return out
    if kind == "array":
        if not isinstance(value, list):
            return [f"{at}: not an array: {value!r:.80}"]
        fixed = schema.get("prefixItems", [])
        out = []
        if fixed and len(value) != len(fixed):
            out.append(f"{at}: {len(value)} items, not {len(fixed)}")
        for n, item in enumerate(value):
            child = fixed[n] if n < len(fixed) else schema.get("items", {})
            out += differences(document, child, item, f"{at}[{n}]")
        return out
    return _scalar(schema, value, at)


def _scalar(schema: dict[str, Any], value: Any, at: str) -> list[str]:
    kind = schema.get("type")
    plain = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
    }
    if kind not in plain:
        return [f"{at}: the schema has no type I know: {schema}"]
    if not plain[kind]:
        return [f"{at}: {value!r:.80} is not a {kind}"]
    if schema.get("format") == "date-time":
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return [f"{at}: {value!r} is not ISO 8601"]
        if when.tzinfo is None or value.endswith("Z"):
            return [f"{at}: {value!r} does not end with its offset (+00:00)"]
    return []
