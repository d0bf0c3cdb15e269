"""Random references whose names and texts take every length, for the Python layout.

The Python langpacks are black's style by construction (clickgen/targets/python/layout):
a line is split only where its length says so, and the lengths come from the reference.
`write_random_reference(folder, seed)` writes a valid reference (JSON files, which are
YAML) with names from 1 to 64 characters, wire keys, formats, enum values, patterns,
deprecation reasons and descriptions of any length, made of the characters that matter
to black: quotes, backslashes, tabs, blank and indented lines, wide and combining
characters. The same seed gives the same files.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

PIECES = ['"', "'", '"""', "\\", "\\n", "{{ x }}", "*/", "?>", "`", "é", "e\u0301", "你好", "🚀", "Привет", "  ", "\t", "(", ")", "#", "''", '""']
WORDS = ["lorem ", "ipsum ", "dolor ", "a ", "bb ", "x" * 30]
FORMATS = ["date-time", "date", "time", "uuid", "email", "hostname", "ipv4", "ipv6", "uri"]


def text(rng: random.Random, longest: int = 200, lines: bool = True) -> str:
    target = rng.choice([0, 1, 5, 20, 60, 80, 85, 90, longest])
    out: list[str] = []
    while sum(map(len, out)) < target:
        if lines and rng.random() < 0.05:
            out.append(rng.choice(["\n", "\n\n", "\n  ", "\n    indented", " \n"]))
        else:
            out.append(rng.choice(PIECES) if rng.random() < 0.3 else rng.choice(WORDS))
    result = "".join(out)
    if rng.random() < 0.1:
        result = '"' + result
    if rng.random() < 0.1:
        result += '"'
    if rng.random() < 0.05:
        result += "\\"
    return result


class Names:
    """Unique names (also without their separators, so that no two collide after case
    conversion), each starting with one of `first` (field, event and environment names
    start with different letters, so that their class names never meet)."""

    def __init__(self, rng: random.Random, first: str, separator: str = "_") -> None:
        self.rng, self.first, self.separator = rng, first, separator
        self.seen: set[str] = set()

    def make(self) -> str:
        rng = self.rng
        while True:
            length = rng.choice([1, 2, 5, 12, 20, 30, 40, 50, 55, 60, 62, 63, 64, rng.randint(1, 64)])
            chars = [rng.choice(self.first)]
            while len(chars) < length:
                if chars[-1] != self.separator and len(chars) < length - 1 and rng.random() < 0.15:
                    chars.append(self.separator)
                else:
                    chars.append(rng.choice("abcdefghijklmnopqrstuvwxyz"))
            name = "".join(chars)
            if name.replace(self.separator, "") not in self.seen:
                self.seen.add(name.replace(self.separator, ""))
                return name


def _pattern(rng: random.Random) -> str:
    pieces = ["[a-z]", "[0-9]{1,3}", "\\.", "-", "x", "(ab|cd)", "[A-Z]{2}", "_", "\\+", '"', "'", "[a-z0-9]{2,8}"]
    return "".join(rng.choice(pieces) for _ in range(rng.choice([1, 3, 10, 30])))


def _enum_values(rng: random.Random, count: int) -> list[str]:
    values = []
    for i in range(count):
        core = "".join(rng.choice("abcdefghij") for _ in range(rng.choice([1, 3, 10, 40, 90]))) + "z" * i
        values.append(rng.choice(["", '"', "'", "\\", "é ", "你好 ", "-"]) + core + rng.choice(["", '"', "'", " x", "🚀"]))
    return values


def _field(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(["string", "integer", "number", "boolean", "array", "enum", "pattern"])
    field: dict[str, Any] = {"type": "array" if kind == "array" else "string" if kind in ("enum", "pattern") else kind}
    if kind == "string":
        if rng.random() < 0.3:
            field["format"] = rng.choice(FORMATS)
        elif rng.random() < 0.5:
            low = rng.randint(0, 5)
            field.update(min_length=low, max_length=low + rng.choice([1, 10, 1000, 10**9]))
    elif kind == "pattern":
        field["pattern"] = _pattern(rng)
    elif kind == "enum":
        field["enum"] = _enum_values(rng, rng.randint(1, 5))
    elif kind == "integer" and rng.random() < 0.7:
        low = rng.choice([-(2**63), -5, 0, 1, 10**12])
        field.update(minimum=low, maximum=rng.choice([low, low + 1, 2**63 - 1]))
    elif kind == "number" and rng.random() < 0.7:
        bound = rng.choice([-1.5, 0.0, 1e-7, -1e300, 0.1, 2.5e-05, -12345.678])
        field.update(minimum=bound, maximum=rng.choice([1.0e21, 1e300, 100.5, 3.0]))
    elif kind == "array":
        item = rng.choice(["string", "integer", "number", "boolean", "enum"])
        field["items"] = "string" if item == "enum" else item
        if item == "enum":
            field["enum"] = _enum_values(rng, rng.randint(1, 4))
        if rng.random() < 0.5:
            field.update(min_items=0, max_items=rng.choice([1, 5, 100]))
    if rng.random() < 0.85:
        field["description"] = text(rng)
    if rng.random() < 0.15:
        field["deprecated"] = {"reason": text(rng, 150) or "r"}
    return field


def _write(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(document, ensure_ascii=False, indent=1)
    # YAML 1.1 reads 1e+21 as a string: give every float exponent a decimal point
    path.write_text(re.sub(r"(?<=[ \[])(-?\d+)e([+-]\d+)", r"\1.0e\2", raw), encoding="utf-8")


def write_random_reference(folder: Path, seed: int, events: int = 12) -> None:
    rng = random.Random(seed)
    environments = Names(rng, "abc", "-")
    field_names = Names(rng, "defghijklm")
    event_names = Names(rng, "nopqrstuvwxyz")
    prefix = rng.choice(["p_", "random_langpack_", "a" * 40 + "_"])
    _write(folder / "clickgen.yaml", {"name": "random", "description": text(rng), "python": {"package_prefix": prefix, "distribution_prefix": "random-"}, "waivers": []})
    fields = {field_names.make(): _field(rng) for _ in range(rng.randint(4, 14))}
    for number, definition in enumerate(fields.values()):
        if rng.random() < 0.3:
            definition["key"] = (text(rng, 70, lines=False) or "k") + f"#{number}"
    # objects of those fields, one holding the other, and an array of the outer one
    scalars = list(fields)
    inner, outer, lines = field_names.make(), field_names.make(), field_names.make()
    fields[inner] = {"type": "object", "properties": {m: rng.choice(["required", "optional"]) for m in rng.sample(scalars, rng.randint(1, min(4, len(scalars))))}}
    fields[outer] = {"type": "object", "properties": {inner: rng.choice(["required", "optional"]), **{m: "optional" for m in rng.sample(scalars, rng.randint(0, min(3, len(scalars))))}}}
    fields[lines] = {"type": "array", "items": outer, **({"min_items": 1, "max_items": rng.choice([1, 20])} if rng.random() < 0.5 else {})}
    for name in (inner, outer, lines):
        if rng.random() < 0.85:
            fields[name]["description"] = text(rng)
    _write(folder / "fields" / "all.yaml", fields)
    names = list(fields)
    envs: list[tuple[str, dict[str, str]]] = []
    for index in range(rng.randint(1, 2)):
        name = environments.make()
        common = {field: rng.choice(["required", "optional"]) for field in rng.sample(names, rng.randint(0, min(4, len(names))))}
        environment: dict[str, Any] = {
            "name": name,
            "source_id": rng.choice([1 + index, 2147483647 - index, 1000 + index]),
            "description": text(rng),
            "owner": text(rng, 40, lines=False) or "x",
            "collector": "https://c.example/" + "p" * rng.choice([1, 40, 70, 120]),
            "common_fields": common,
            "langpacks": ["python"],
            "generations": rng.choice([[1], [1, 2]]),
        }
        if rng.random() < 0.2:
            environment["deprecated"] = {"reason": text(rng, 120) or "r"}
        envs.append((name, common))
        _write(folder / "environments" / f"{name}.yaml", environment)
    for index in range(events):
        name = event_names.make()
        chosen_envs = [env for env, _ in envs if rng.random() < 0.8] or [envs[0][0]]
        commons = {field for env, common in envs if env in chosen_envs for field in common}
        own = [field for field in names if field not in commons]
        versions: dict[str, Any] = {}
        for number in range(1, rng.randint(1, 3) + 1):
            chosen = rng.sample(own, rng.randint(0, min(len(own), 8))) if own else []
            version: dict[str, Any] = {"fields": {field: rng.choice(["required", "optional"]) for field in chosen}}
            if rng.random() < 0.5:
                version["description"] = text(rng)
            if rng.random() < 0.1:
                version["deprecated"] = {"reason": text(rng, 100) or "r"}
            versions[str(number)] = version
        document: dict[str, Any] = {
            "event": name,
            "id": rng.choice([1, 99999, 2147483000]) + index,
            "owner": "o",
            "description": text(rng),
            "environments": chosen_envs,
            "versions": versions,
        }
        if rng.random() < 0.1:
            document["deprecated"] = {"reason": text(rng, 100) or "r"}
        _write(folder / "events" / f"{name}.yaml", document)
