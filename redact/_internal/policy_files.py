"""Reading one policy file: YAML with the line of every key, alias bombs refused, and the
schema's problems said in the words of ``docs/policy.md`` (file, line, key path), never
with pydantic's internal names.

Private to :mod:`redact.policy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ValidationError

from redact._internal.policy_schema import PolicyFile
from redact.errors import PolicyError

__all__ = ["read_yaml", "validate", "keys_at", "MAX_YAML_NODES"]


def read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """The data of the policy file at ``path`` (a mapping) and the line of each key path
    in it (``("entities", "PERSON")`` -> line). Raises :class:`PolicyError`."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy file ({type(exc).__name__})",
                          "Check the path and that the file is UTF-8 text.",
                          path=str(path)) from None
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
        if node is not None and _expanded_size(node, {}) > MAX_YAML_NODES:
            raise PolicyError(f"the policy expands to more than {MAX_YAML_NODES:,} values "
                              "(YAML aliases that repeat each other, a 'billion laughs' file)",
                              "Write the policy without nested anchors and aliases.",
                              path=str(path))
        twice = _repeated_key(node) if node is not None else None
        if twice is not None:
            key, first, again = twice
            raise PolicyError(f"the key '{key}' is written twice (lines {first} and {again}); "
                              "YAML would silently keep only the second",
                              "Keep one of them: merge the two into one entry.",
                              path=str(path), line=again)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PolicyError(f"YAML syntax error: {problem}", "Fix the YAML syntax at that line.",
                          path=str(path), line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise PolicyError("the policy nests lists or mappings too deeply",
                          "A policy needs only a few levels of nesting; fix the file.",
                          path=str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError("a policy must be a mapping of keys (extends, entities, ...)",
                          path=str(path), line=1)
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


#: Most values a policy may expand to (aliases counted as often as they are used).
MAX_YAML_NODES = 100_000


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes ``node`` stands for once every alias is expanded (memoised: linear)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_YAML_NODES + 1  # a cycle counts as too large
    size = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo) + _expanded_size(v, memo)
            if size > MAX_YAML_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            size += _expanded_size(v, memo)
            if size > MAX_YAML_NODES:
                break
    memo[key] = size
    return size


def _repeated_key(node: yaml.Node) -> tuple[str, int, int] | None:
    """The first key written twice in one mapping: (key, first line, second line)."""
    stack = [node]
    seen_nodes: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen_nodes:
            continue
        seen_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            lines: dict[str, int] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.value != "<<":
                    if k.value in lines:
                        return k.value, lines[k.value], k.start_mark.line + 1
                    lines[k.value] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return None


def _collect_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = path + (k.value,)
            out[key] = k.start_mark.line + 1
            _collect_lines(v, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_lines(item, path + (i,), out)


def validate(data: dict[str, Any], name: str,
              lines: dict[tuple[Any, ...], int] | None) -> PolicyFile:
    """Validate one policy file; every problem is reported at once (file, line, key path),
    in the words of docs/policy.md, never with pydantic's internal names."""
    try:
        return PolicyFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for loc, message in _problems(exc.errors(), data):
            line = None
            for n in range(len(loc), -1, -1):
                if lines and tuple(loc[:n]) in lines:
                    line = lines[tuple(loc[:n])]
                    break
            problems.append(PolicyError(message, path=name,
                                        key=".".join(str(p) for p in loc) or None, line=line))
        raise PolicyError.several(problems) from None


#: pydantic error types, in the words of a policy's author.
_PLAIN = {
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "string_type": "must be text",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "less_than_equal": "must be at most {le}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "greater_than": "must be more than {gt}",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping (lines of 'key: value')",
    "model_type": "must be a mapping (lines of 'key: value')",
    "model_attributes_type": "must be a mapping (lines of 'key: value')",
    "missing": "is missing (it is required)",
}


def _problems(errors: list[Any], data: Any) -> list[tuple[list[Any], str]]:
    """``(key path, message)`` per problem. A value that may take one of several forms (an
    ``allow`` entry: a name or a mapping) gets the problems of the form it has, once."""
    out: list[tuple[list[Any], str]] = []
    seen: set[tuple[str, ...]] = set()
    for err in errors:
        loc, depth, member = _split_loc(err.get("loc", ()))
        if member is not None:
            at = loc[:depth]
            value = _value_at(data, at)
            if not isinstance(value, (str, dict)):
                if tuple(map(str, at)) not in seen:
                    seen.add(tuple(map(str, at)))
                    out.append((at, "must be a name (text) or a mapping with the keys "
                                + ", ".join(keys_at(at))))
                continue
            if isinstance(value, dict) != (_schema_model(member) is not None):
                continue  # the problems of the form this value does not have
        out.append((loc, _message(err, loc)))
    return out


def _message(err: dict[str, Any], loc: list[Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        import difflib

        allowed = keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        return (f"unknown key '{loc[-1]}'" + (f" (did you mean '{close[0]}'?)" if close else "")
                + (f"; the keys here are: {', '.join(allowed)}" if allowed else ""))
    if kind == "literal_error":
        import difflib

        options = [o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ", ")
                   .split(",")]
        given = err.get("input")
        close = (difflib.get_close_matches(given, options, n=1)
                 if isinstance(given, str) else [])
        return ("must be one of: " + ", ".join(options)
                + (f" (did you mean '{close[0]}'?)" if close else ""))
    if kind in ("value_error", "assertion_error"):
        return str(err.get("msg", "invalid value")).removeprefix("Value error, ") \
            .removeprefix("Assertion failed, ")
    if kind in _PLAIN:
        try:
            return _PLAIN[kind].format(**ctx)
        except (KeyError, IndexError):
            return _PLAIN[kind].split(" (")[0]
    return str(err.get("msg", "invalid value"))


def _value_at(data: Any, loc: list[Any]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def keys_at(loc: list[Any]) -> list[str]:
    """The keys a policy may hold in the mapping at ``loc`` (from the schema itself)."""
    ann: Any = PolicyFile
    for part in loc:
        ann = _schema_step(ann, part)
        if ann is None:
            return []
    model = _schema_model(ann)
    return list(model.model_fields) if model is not None else []


def _schema_step(ann: Any, part: Any) -> Any:
    """The type of ``ann[part]``: a model's field, a list's item, a mapping's value."""
    import types
    import typing

    origin = typing.get_origin(ann)
    if origin is Annotated:
        return _schema_step(typing.get_args(ann)[0], part)
    if origin in (typing.Union, types.UnionType):
        steps = [_schema_step(a, part) for a in typing.get_args(ann)]
        return next((s for s in steps if s is not None), None)
    if origin is list:
        return typing.get_args(ann)[0] if isinstance(part, int) else None
    if origin is dict:
        return typing.get_args(ann)[1] if isinstance(part, str) else None
    model = _schema_model(ann)
    if model is not None and isinstance(part, str) and part in model.model_fields:
        return model.model_fields[part].annotation
    return None


def _schema_model(ann: Any) -> type[BaseModel] | None:
    import typing

    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    if typing.get_origin(ann) in (list, dict):
        return None
    return next((m for m in map(_schema_model, typing.get_args(ann)) if m is not None), None)


def _split_loc(raw: Iterable[Any]) -> tuple[list[Any], int, Any]:
    """``(key path, where a union member was named in it, that member's type or None)``.

    The schema says where a union of forms is (pydantic names the member tried
    next in ``loc``), so an entity type such as ``Person`` is never mistaken for
    one.
    """
    import types
    import typing

    loc: list[Any] = []
    depth, member = 0, None
    ann: Any = PolicyFile
    parts = list(raw)
    i = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        bare = typing.get_args(ann)[0] if typing.get_origin(ann) is Annotated else ann
        forms = [a for a in typing.get_args(bare) if a is not type(None)] \
            if typing.get_origin(bare) in (typing.Union, types.UnionType) else []
        if len(forms) > 1 and isinstance(part, str):
            model = next((f for f in forms if getattr(f, "__name__", None) == part), None)
            ann = model or next((f for f in forms if _schema_model(f) is None), None)
            depth, member = len(loc), ann
            continue
        loc.append(part)
        ann = _schema_step(ann, part) if ann is not None else None
    return loc, depth, member
