"""What every target language provides to the pipeline.

A target is a pure function from a `GenerateRequest` to files in memory (like sqlc's
codegen): it owns its naming rules, its type map and its file plan, builds a small
context for each template, and never touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from clickgen.ir import Environment, Reference


@dataclass(frozen=True)
class GenerateRequest:
    reference: Reference
    environment: Environment
    generation: int
    version: str  # the langpack version, 0.G.N
    vectors_json: bytes  # the shared test vectors (vectors.json), copied into the langpack's tests
    clickgen_version: str


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the langpack folder, forward slashes
    content: bytes


class Target(Protocol):
    language: str
    generations: tuple[int, ...]

    def generate(self, request: GenerateRequest) -> list[OutputFile]: ...
