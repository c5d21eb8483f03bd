from collections.abc import Iterable, Mapping
from os import PathLike
from typing import Any, Literal, Optional, Union, overload

__version__: str

Evidence = Union[str, Mapping[str, Any]]

class JudgementError(Exception):
    """Every problem of a call as data; the attributes are the first error's."""

    errors: list[dict[str, Any]]
    kind: str
    severity: str
    message: str
    help: Optional[str]
    path: Optional[str]
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    rule: Optional[str]
    cite: Optional[str]

class Ruleset:
    """The editions of one ruleset, loaded and checked."""

    @staticmethod
    def load(path: Union[str, PathLike[str]]) -> Ruleset: ...
    @staticmethod
    def from_sources(
        files: Union[Mapping[str, str], Iterable[tuple[str, str]]],
    ) -> Ruleset: ...
    @property
    def name(self) -> str: ...
    @property
    def editions(self) -> list[str]: ...
    @property
    def warnings(self) -> list[dict[str, Any]]: ...
    def evaluate(
        self,
        evidence: Evidence,
        *,
        trace: bool = False,
        compact: bool = False,
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> dict[str, Any]: ...
    def evaluate_json(
        self,
        evidence: Evidence,
        *,
        trace: bool = False,
        compact: bool = False,
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> str: ...
    def evaluate_lines(
        self,
        text: str,
        *,
        trace: bool = False,
        compact: bool = False,
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> str: ...
    def explain(
        self,
        evidence: Evidence,
        name: str = "evidence",
        *,
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> str: ...
    @overload
    def why_not(
        self,
        evidence: Evidence,
        target: str,
        *,
        as_data: Literal[False] = False,
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> str: ...
    @overload
    def why_not(
        self,
        evidence: Evidence,
        target: str,
        *,
        as_data: Literal[True],
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> dict[str, Any]: ...
    @overload
    def why_not(
        self,
        evidence: Evidence,
        target: str,
        *,
        as_data: bool,
        allow_unknown_fields: bool = False,
        edition: Optional[str] = None,
    ) -> Union[str, dict[str, Any]]: ...
    def schema(
        self, edition: Optional[str] = None, *, allow_unknown_fields: bool = False
    ) -> dict[str, Any]: ...
    def run_tests(self) -> list[dict[str, Any]]: ...
