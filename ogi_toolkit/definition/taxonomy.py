"""The task taxonomy: 11 domains and their subtasks, read from ``taxonomy/*.yaml``.

``taxonomy/domains.yaml`` lists the domains; every other ``*.yaml`` file in the folder holds
subtasks of one domain (see ``taxonomy/README.md`` for the format). Files are validated when
loaded: a bad file fails with its path, the subtask id and key, and what was expected.
Template text is parsed as Jinja2 here (a syntax error names its line); whether the builder
exists and the template's variables are ones it fills is checked one layer up, by
``ogi_toolkit.templates.engine.compile_subtask`` (the definition layer knows no code).
"""
from __future__ import annotations

import difflib
import functools
import math
from pathlib import Path
from typing import Any, Iterator, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator, model_validator

from ..disk_cache import cached
from ..paths import TAXONOMY_DIR
from .yaml_files import brief, file_stamp, parse_yaml, read_data_file

__all__ = ["Domain", "Subtask", "Template", "Taxonomy", "TaxonomyError", "UnknownIdError", "load_taxonomy"]

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_MAX_LENGTH = 64  # ids name files, columns and plan lines: a 10,000-character id is a mistake
# Instructions a subtask may ask for: the paper's whole dataset is 80,700; 1e20 is a mistake.
MAX_TARGET = 10_000_000
# Template shapes a subtask file must give (taxonomy/README.md: "at least 5 different shapes");
# fewer make every instruction of the subtask read alike. (A prototype may keep one: the
# rule is the file's, not the model's.)
MIN_TEMPLATES = 5
DOMAINS_FILE = "domains.yaml"
# How far from 1 a difficulty mix's shares may sum (0.33 + 0.33 + 0.34 is fine; 0.5 + 0.6 is not).
MIX_TOLERANCE = 1e-3


class TaxonomyError(ValueError):
    """A taxonomy file is malformed; the message names the file, the key and the expectation."""


class UnknownIdError(KeyError):
    """An id that is not there; prints its message as written (KeyError would quote it)."""

    def __str__(self) -> str:
        return str(self.args[0])


def unknown_id(what: str, value: str, known) -> UnknownIdError:
    """An error for an unknown ``value`` that lists the close matches among ``known``."""
    known = list(known)
    close = difflib.get_close_matches(value, known, n=5, cutoff=0.5)
    if not close:  # substring matches help with partial ids ("position" -> relative_position)
        close = [k for k in known if value and value in k][:5]
    hint = f"; did you mean: {', '.join(close)}?" if close else f"; known: {', '.join(known[:60])}"
    return UnknownIdError(f"unknown {what} {value!r}{hint}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Domain(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)
    name: str = Field(min_length=1)  # the paper's name
    kind: Literal["generation", "editing"]
    description: str = Field(min_length=1)
    target: StrictInt = Field(ge=0, le=MAX_TARGET)  # the paper's stated total for the domain


class Template(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)
    text: str = Field(min_length=1)
    difficulty: tuple[int, ...] | None = None  # grades it can express; None = all


class Boundary(_Strict):
    includes: tuple[str, ...] = Field(min_length=1)
    excludes: tuple[str, ...] = ()


class Subtask(_Strict):
    """One subtask as written in its domain file, plus ``domain``/``kind``/``file`` from where it sits."""

    id: str = Field(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)
    name: str = Field(min_length=1)
    target: StrictInt = Field(ge=0, le=MAX_TARGET)  # true and 1e20 are refused, not read as 1 and 10**20
    definition: str = Field(min_length=1)
    boundary: Boundary
    difficulty: dict[int, str] = Field(min_length=1)
    difficulty_mix: dict[int, float] | None = None
    builder: str = Field(pattern=ID_PATTERN)
    params: dict[str, Any] = Field(default_factory=dict)
    templates: tuple[Template, ...] = Field(min_length=1)
    # Filled in by the loader, not written in YAML:
    domain: str = ""
    kind: Literal["generation", "editing"] = "generation"
    file: str = ""

    @field_validator("difficulty")
    @classmethod
    def _grades_positive(cls, grades: dict[int, str]) -> dict[int, str]:
        bad = [g for g in grades if g < 1]
        if bad:
            raise ValueError(f"difficulty grades must be integers >= 1, got {bad}")
        return grades

    @model_validator(mode="after")
    def _consistent(self) -> "Subtask":
        grades = set(self.difficulty)
        if self.difficulty_mix is not None:
            extra = sorted(set(self.difficulty_mix) - grades)
            if extra:
                raise ValueError(f"difficulty_mix has grades {extra} not in difficulty {sorted(grades)}")
            if any(v < 0 for v in self.difficulty_mix.values()) or sum(self.difficulty_mix.values()) <= 0:
                raise ValueError("difficulty_mix shares must be >= 0 and not all zero")
            if not math.isclose(sum(self.difficulty_mix.values()), 1.0, abs_tol=MIX_TOLERANCE):
                raise ValueError(f"difficulty_mix shares sum to {sum(self.difficulty_mix.values()):g}; "
                                 f"expected shares that sum to 1, like {{1: 0.3, 2: 0.4, 3: 0.3}}")
        seen: set[str] = set()
        for t in self.templates:
            if t.id in seen:
                raise ValueError(f"template id {t.id!r} appears twice")
            seen.add(t.id)
            extra = sorted(set(t.difficulty or ()) - grades)
            if extra:
                raise ValueError(f"template {t.id!r}: difficulty {extra} not in the subtask's grades {sorted(grades)}")
        uncovered = [g for g in grades if not any(t.difficulty is None or g in t.difficulty for t in self.templates)]
        if uncovered:
            raise ValueError(f"no template can express difficulty {uncovered}")
        return self

    @property
    def grades(self) -> tuple[int, ...]:
        return tuple(sorted(self.difficulty))

    def mix(self) -> dict[int, float]:
        """Share of each grade (the YAML's ``difficulty_mix`` or equal shares), summing to 1."""
        raw = self.difficulty_mix or {g: 1.0 for g in self.difficulty}
        total = sum(raw.values())
        return {g: raw.get(g, 0.0) / total for g in self.grades}


class _DomainFile(_Strict):
    domain: str = Field(pattern=ID_PATTERN)
    subtasks: list[dict[str, Any]] = Field(min_length=1)


class _DomainsFile(_Strict):
    domains: list[Domain] = Field(min_length=1)


class Taxonomy:
    """Domains and subtasks in order; look-ups raise KeyError listing close ids."""

    def __init__(self, domains: list[Domain], subtasks: list[Subtask], path: Path):
        self.path = path
        self.domains: tuple[Domain, ...] = tuple(domains)
        order = {d.id: i for i, d in enumerate(domains)}
        # Domain order from domains.yaml, subtask order within a domain from its file(s).
        self.subtasks: tuple[Subtask, ...] = tuple(sorted(subtasks, key=lambda s: order[s.domain]))
        self._domains = {d.id: d for d in self.domains}
        self._subtasks = {s.id: s for s in self.subtasks}

    def subtask(self, subtask_id: str) -> Subtask:
        try:
            return self._subtasks[subtask_id]
        except KeyError:
            raise unknown_id("subtask", subtask_id, self._subtasks) from None

    def domain(self, domain_id: str) -> Domain:
        try:
            return self._domains[domain_id]
        except KeyError:
            raise unknown_id("domain", domain_id, self._domains) from None

    def in_domain(self, domain_id: str) -> tuple[Subtask, ...]:
        self.domain(domain_id)
        return tuple(s for s in self.subtasks if s.domain == domain_id)

    __getitem__ = subtask

    def __contains__(self, subtask_id: object) -> bool:
        return subtask_id in self._subtasks

    def __iter__(self) -> Iterator[Subtask]:
        return iter(self.subtasks)

    def __len__(self) -> int:
        return len(self.subtasks)

    def __repr__(self) -> str:
        return f"Taxonomy({len(self.domains)} domains, {len(self.subtasks)} subtasks, from {self.path})"

    def frame(self):
        """One row per subtask: kind, domain, names, target, builder, number of templates."""
        import pandas as pd

        rows = [
            {
                "kind": s.kind, "domain": s.domain, "domain_name": self._domains[s.domain].name,
                "subtask": s.id, "name": s.name, "target": s.target, "builder": s.builder,
                "templates": len(s.templates), "grades": len(s.difficulty), "definition": s.definition,
            }
            for s in self.subtasks
        ]
        columns = ["kind", "domain", "domain_name", "subtask", "name", "target", "builder", "templates", "grades", "definition"]
        return pd.DataFrame(rows, columns=columns)


def _read_yaml(path: Path) -> Any:
    """The file's data, read with the shared safe loader (size cap, alias budget, UTF-8 named)."""
    return parse_yaml(path, read_data_file(path, TaxonomyError), TaxonomyError)[0]


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}" + (f" (got {brief(err['input'])})" if err["type"] != "missing" else ""))
    return "; ".join(parts)


_JINJA_SYNTAX = jinja2.Environment()


def _check_template_syntax(path: Path, subs: list[Subtask]) -> None:
    """Every template of ``subs`` parses as Jinja2, else an error naming file, subtask and line.
    Texts that all parsed before are known good (parsing them is most of a taxonomy load)."""
    texts = [t.text for sub in subs for t in sub.templates]
    cached("jinja-syntax", (jinja2.__version__, *texts), lambda: _all_parse(path, subs))


def _all_parse(path: Path, subs: list[Subtask]) -> bool:
    for sub in subs:
        for t in sub.templates:
            try:
                _JINJA_SYNTAX.parse(t.text)
            except jinja2.TemplateSyntaxError as exc:
                raise TaxonomyError(
                    f"{path}: subtask {sub.id!r}, template {t.id!r}, line {exc.lineno} of its text: "
                    f"bad Jinja2 syntax: {exc.message}; expected text like 'Draw {{{{ obj|a }}}}.'"
                ) from None
    return True


def _load_domain_file(path: Path, domains: dict[str, Domain]) -> list[Subtask]:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping with keys 'domain' and 'subtasks', got {type(data).__name__}")
    try:
        parsed = _DomainFile.model_validate(data)
    except ValidationError as exc:
        raise TaxonomyError(f"{path}: {_describe(exc)}") from None
    if parsed.domain not in domains:
        raise TaxonomyError(f"{path}: domain: {unknown_id('domain', parsed.domain, domains)} (domains are listed in {DOMAINS_FILE})")
    kind = domains[parsed.domain].kind
    out = []
    for i, raw in enumerate(parsed.subtasks):
        label = f"subtask {raw.get('id', f'#{i + 1}')!r}" if isinstance(raw, dict) else f"subtask #{i + 1}"
        if not isinstance(raw, dict):
            raise TaxonomyError(f"{path}: {label}: expected a mapping of keys, got {raw!r}")
        loader_keys = sorted({"domain", "kind", "file"} & set(raw))
        if loader_keys:
            raise TaxonomyError(f"{path}: {label}: keys {loader_keys} are set from the file, not written per subtask")
        try:
            sub = Subtask.model_validate({**raw, "domain": parsed.domain, "kind": kind, "file": str(path)})
        except ValidationError as exc:
            raise TaxonomyError(f"{path}: {label}: {_describe(exc)}") from None
        if len(sub.templates) < MIN_TEMPLATES:
            raise TaxonomyError(f"{path}: {label}: templates: {len(sub.templates)} given; a subtask needs at least "
                                f"{MIN_TEMPLATES} different shapes of sentence (see taxonomy/README.md)")
        out.append(sub)
    _check_template_syntax(path, out)
    return out


def _load(path: Path) -> Taxonomy:
    domains_path = path / DOMAINS_FILE
    if not domains_path.is_file():
        raise FileNotFoundError(f"{domains_path}: no {DOMAINS_FILE}; a taxonomy folder needs one (see taxonomy/README.md)")
    data = _read_yaml(domains_path)
    try:
        domain_list = _DomainsFile.model_validate(data).domains
    except ValidationError as exc:
        raise TaxonomyError(f"{domains_path}: {_describe(exc)}") from None
    domains: dict[str, Domain] = {}
    for d in domain_list:
        if d.id in domains:
            raise TaxonomyError(f"{domains_path}: domain id {d.id!r} appears twice")
        domains[d.id] = d
    subtasks: dict[str, Subtask] = {}
    for file in sorted(path.glob("*.yaml")):
        if file.name == DOMAINS_FILE:
            continue
        for sub in _load_domain_file(file, domains):
            if sub.id in subtasks:
                raise TaxonomyError(f"{file}: subtask id {sub.id!r} is already defined in {subtasks[sub.id].file}; ids are unique across the taxonomy")
            subtasks[sub.id] = sub
    return Taxonomy(domain_list, list(subtasks.values()), path)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, stamp: tuple) -> Taxonomy:
    return _load(Path(path))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate the taxonomy folder (default ``taxonomy/`` of the project).

    Cached per folder; editing a file (a new modification time) reloads it.
    """
    folder = Path(path) if path is not None else TAXONOMY_DIR
    folder = folder.resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: taxonomy folder not found")
    stamp = tuple(file_stamp(f) for f in sorted(folder.glob("*.yaml")))
    return _load_cached(str(folder), stamp)
