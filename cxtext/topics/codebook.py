"""Codebooks: topics with definitions, per-language terms, regexes and exclusions (YAML).

A codebook file looks like this (every key but ``topics`` is optional)::

    name: mine
    extends: default            # built-in name or a path relative to this file
    column: topics              # output column: topics (default), journey, channel, ...
    remove: [promotion]         # drop inherited topics (and their subtopics)
    topics:
      process:
        topics:                 # subtopics: full path "process/delivery"
          delivery:
            definition: {en: "Getting the order to the customer."}
            terms:
              en: [delivery, courier, "deliver*"]   # "*" = any ending; "=" prefix = no plurals
              es: [entrega, envío, mensajero]
            regex:
              any: ['\\b\\d+ days? late\\b']
            exclude:
              en: [delivery room]                   # blocks a match inside this phrase
            names: {en: delivery, es: entrega}      # optional: display name per language
            examples:                               # optional: example sentences (not matched)
              en: ["The courier left the parcel in the rain."]

Terms are written in dictionary form and match case- and accent-insensitively on word
boundaries, with regular plurals (:func:`cxtext.topics._text.inflections`). ``any`` holds
terms for every language. When extending, a topic that already exists gets the new terms
added (``replace: true`` replaces them instead).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import CodebookError, ConfigError, UnknownTopicError, format_choices, option
from ..schema import LANGUAGES

if TYPE_CHECKING:
    from .matcher import CodebookDetector

__all__ = [
    "BUILTIN_CODEBOOKS",
    "TERM_LANGUAGES",
    "Codebook",
    "CodebookProblem",
    "TopicSpec",
    "load_codebook",
    "validate_codebook",
    "builtin_codebook_path",
]

#: Codebooks shipped with cxtext (``cxtext/data/codebooks/<name>.yaml``).
BUILTIN_CODEBOOKS: tuple[str, ...] = ("default", "journey", "channel")
#: Language keys allowed under ``terms``/``regex``/``exclude``; ``any`` = every language.
TERM_LANGUAGES: tuple[str, ...] = (*LANGUAGES, "any")

_ROOT_KEYS = ("name", "version", "column", "description", "extends", "remove", "topics")
_TOPIC_KEYS = ("label", "names", "definition", "terms", "regex", "exclude", "examples", "replace", "topics")
_LIST_KEYS = ("terms", "regex", "exclude")
_SLUG = re.compile(r"^[\w][\w .&+-]*$")


@dataclass(frozen=True)
class CodebookProblem:
    """One mistake in a codebook file, with its line (1-based) when known."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TopicSpec:
    """One topic of a codebook; ``terms``/``regex``/``exclude`` map language -> patterns.

    ``names`` (display name per language) and ``examples`` (example sentences per language)
    document the topic; they are never matched.
    """

    path: str
    label: str = ""
    definition: dict[str, str] = field(default_factory=dict)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regex: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Codebook:
    """A parsed, validated codebook.

    Attributes:
        name: codebook name (``default``, ``journey``, ``channel`` or the file's ``name``).
        column: output column its topics go to (``topics``, ``journey``, ``channel``).
        specs: every topic in display order (parents before their subtopics).
        version: version string from the file ("" if none).
        description: free text from the file.
        source: built-in name or file path it was read from.

    Example:
        >>> cb = load_codebook("default")
        >>> cb.topics[:3]
        ('price', 'product', 'people')
        >>> [m.topic for m in cb.detector().detect(["Too expensive."], ["en"])[0]]
        ['price']
    """

    name: str
    column: str
    specs: tuple[TopicSpec, ...]
    version: str = ""
    description: str = ""
    source: str = ""

    @property
    def topics(self) -> tuple[str, ...]:
        """Full topic paths in display order, e.g. ``("process", "process/delivery")``."""
        return tuple(spec.path for spec in self.specs)

    @property
    def definitions(self) -> dict[str, dict[str, str]]:
        """Topic path -> {language: one-paragraph definition}."""
        return {spec.path: dict(spec.definition) for spec in self.specs}

    def spec(self, topic: str) -> TopicSpec:
        """The :class:`TopicSpec` of ``topic``."""
        for spec in self.specs:
            if spec.path == topic:
                return spec
        raise UnknownTopicError(f"codebook {self.name!r} has no topic {topic!r}; "
                                f"its topics are {format_choices(self.topics)}")

    @cached_property
    def _detector(self) -> CodebookDetector:
        from .matcher import CodebookDetector

        return CodebookDetector(self)

    def detector(self) -> CodebookDetector:
        """The compiled matcher of this codebook (built once, then reused)."""
        return self._detector

    def describe(self, lang: str = "en", max_terms: int = 25) -> str:
        """The codebook as text: its header, then every topic with its definition and terms in ``lang``.

        Args:
            lang: language of the definitions, terms, regexes and exclusions shown (terms for
                any language are shown too).
            max_terms: terms (and regexes, exclusions) shown per topic; 0 shows them all.

        Raises:
            ConfigError: ``lang`` is not one of :data:`cxtext.schema.LANGUAGES`.

        Example:
            >>> load_codebook("default").describe("es").splitlines()[0]  # doctest: +ELLIPSIS
            "codebook default... -> column 'topics' (... topics)"
        """
        import textwrap

        if lang not in LANGUAGES:
            raise ConfigError(f"{option(f'lang={lang!r}', f'--lang {lang!r}')} is not supported; "
                              f"use one of {', '.join(LANGUAGES)}")
        version = f" v{self.version}" if self.version else ""
        lines = [f"codebook {self.name}{version} -> column '{self.column}' ({len(self.topics)} topics)"]
        if self.description:
            lines.append(self.description)
        for s in self.specs:
            indent = "  " * s.path.count("/")
            lines.append(f"\n{indent}{s.path}")
            definition = s.definition.get(lang) or s.definition.get("en", "")
            if definition:
                lines.append(textwrap.TextWrapper(100, initial_indent=indent + "  ", subsequent_indent=indent + "  ",
                                                  replace_whitespace=False).fill(definition.expandtabs()))
            terms = list(s.terms.get(lang, ())) + list(s.terms.get("any", ()))
            shown = terms if max_terms <= 0 else terms[:max_terms]
            more = f" ... (+{len(terms) - len(shown)})" if len(shown) < len(terms) else ""
            if terms:
                lines.append(f"{indent}  terms: {', '.join(shown)}{more}")
            for key in ("regex", "exclude"):
                values = list(getattr(s, key).get(lang, ())) + list(getattr(s, key).get("any", ()))
                if values:
                    lines.append(f"{indent}  {key}: {', '.join(values[:max_terms] if max_terms > 0 else values)}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- loading


def builtin_codebook_path(name: str) -> Any:
    """Traversable of a built-in codebook's YAML (package data)."""
    return resources.files("cxtext") / "data" / "codebooks" / f"{name}.yaml"


def _is_builtin(spec: str | os.PathLike[str]) -> bool:
    return isinstance(spec, str) and spec in BUILTIN_CODEBOOKS


def load_codebook(spec: str | os.PathLike[str]) -> Codebook:
    """Load a built-in codebook by name or a custom one from a YAML file.

    Args:
        spec: ``"default"``, ``"journey"``, ``"channel"`` or a path to a YAML file.

    Returns:
        The validated :class:`Codebook`.

    Raises:
        CodebookError: the file does not exist or has mistakes (all listed with lines).

    Example:
        >>> load_codebook("journey").column
        'journey'
    """
    if _is_builtin(spec):
        return _load_builtin(str(spec))
    codebook, problems = _parse_file(Path(spec), chain=())
    if problems:
        raise CodebookError(_problem_message(str(spec), problems))
    assert codebook is not None
    return codebook


@lru_cache(maxsize=None)
def _load_builtin(name: str) -> Codebook:
    text = builtin_codebook_path(name).read_text(encoding="utf-8")
    codebook, problems = _parse_text(text, source=name, base=None, chain=(name,))
    if problems:  # a bug in the shipped data
        raise CodebookError(_problem_message(name, problems))
    assert codebook is not None
    return codebook


def validate_codebook(path: str | os.PathLike[str]) -> list[CodebookProblem]:
    """Every mistake in a codebook (built-in name or YAML path); ``[]`` when it is valid.

    Example:
        >>> validate_codebook("default")
        []
    """
    if _is_builtin(path):
        text = builtin_codebook_path(str(path)).read_text(encoding="utf-8")
        return _parse_text(text, source=str(path), base=None, chain=(str(path),))[1]
    return _parse_file(Path(path), chain=())[1]


def _problem_message(source: str, problems: list[CodebookProblem]) -> str:
    lines = "\n".join(f"  {p}" for p in problems)
    return (
        f"codebook {source!r} has {len(problems)} problem(s):\n{lines}\n"
        f"fix them and check again with: cxtext codebook check {source}"
    )


def _parse_file(path: Path, chain: tuple[str, ...]) -> tuple[Codebook | None, list[CodebookProblem]]:
    source = str(path)
    if not path.is_file():
        return None, [CodebookProblem(source, None, f"file does not exist; built-in codebooks are "
                                                     f"{format_choices(BUILTIN_CODEBOOKS)}")]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [CodebookProblem(source, None, f"cannot read the file as UTF-8 text: {exc}")]
    key = str(path.resolve())
    if key in chain:
        return None, [CodebookProblem(source, None, "'extends' forms a cycle: " + " -> ".join(chain + (key,)))]
    return _parse_text(text, source=source, base=path.parent, chain=chain + (key,))


#: libyaml's loader where PyYAML has it (the same nodes and lines, ten times faster: the default
#: codebook is parsed at every start); errors are reported by the pure-Python one
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_text(
    text: str, source: str, base: Path | None, chain: tuple[str, ...]
) -> tuple[Codebook | None, list[CodebookProblem]]:
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return None, [_yaml_problem(text, source)]
    parser = _Parser(source, base, chain)
    codebook = parser.parse(root)
    return (codebook if not parser.problems else None), parser.problems


def _yaml_problem(text: str, source: str) -> CodebookProblem:
    """What is wrong with ``text``, which is not valid YAML, in the pure-Python loader's words."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return CodebookProblem(source, line, f"not valid YAML: {reason}")
    return CodebookProblem(source, None, "not valid YAML")


# --------------------------------------------------------------------------- parser


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Draft:
    """Mutable topic while merging a codebook with the one it extends."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = ""
        self.definition: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.examples: dict[str, list[str]] = {}
        self.lists: dict[str, dict[str, list[str]]] = {k: {} for k in _LIST_KEYS}

    @classmethod
    def from_spec(cls, spec: TopicSpec) -> _Draft:
        draft = cls(spec.path)
        draft.label = spec.label
        draft.definition = dict(spec.definition)
        draft.names = dict(spec.names)
        draft.examples = {lang: list(v) for lang, v in spec.examples.items()}
        for key in _LIST_KEYS:
            draft.lists[key] = {lang: list(v) for lang, v in getattr(spec, key).items()}
        return draft

    def has_patterns(self) -> bool:
        return any(v for key in ("terms", "regex") for v in self.lists[key].values())

    def freeze(self) -> TopicSpec:
        return TopicSpec(
            path=self.path,
            label=self.label or self.path.rsplit("/", 1)[-1],
            definition=dict(self.definition),
            **{key: {lang: tuple(v) for lang, v in self.lists[key].items() if v} for key in _LIST_KEYS},
            names=dict(self.names),
            examples={lang: tuple(v) for lang, v in self.examples.items() if v},
        )


class _Parser:
    def __init__(self, source: str, base: Path | None, chain: tuple[str, ...]) -> None:
        self.source = source
        self.base = base
        self.chain = chain
        self.problems: list[CodebookProblem] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        self.problems.append(CodebookProblem(self.source, _line(node) if node is not None else None, message))

    # -- helpers
    def mapping(self, node: yaml.Node, what: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null") and node.tag.endswith("null"):
            return
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of 'key: value' lines")
            return
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                self.problem(key_node, f"duplicate key {key!r} in {what}")
                continue
            seen.add(key)
            yield key, key_node, value_node

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be a single text value")
            return None
        return str(node.value)

    def strings(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith("null"):
                return []
            return [(str(node.value), node)]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list of strings")
            return []
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag.endswith("null"):
                self.problem(item, f"{what} must contain only strings")
                continue
            out.append((str(item.value), item))
        return out

    # -- document
    def parse(self, root: yaml.Node | None) -> Codebook | None:
        if root is None:
            self.problem(None, "the file is empty; a codebook needs a 'topics:' mapping")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, "a codebook must be a mapping with a 'topics:' key")
            return None
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, key_node, value_node in self.mapping(root, "the codebook"):
            if key not in _ROOT_KEYS:
                self.problem(key_node, f"unknown key {key!r}; allowed: {format_choices(_ROOT_KEYS)}")
                continue
            fields[key] = (key_node, value_node)

        drafts: dict[str, _Draft] = {}
        parent: Codebook | None = None
        if "extends" in fields:
            parent = self.resolve_extends(fields["extends"][1])
            if parent is not None:
                drafts = {spec.path: _Draft.from_spec(spec) for spec in parent.specs}
        if "remove" in fields:
            for name, node in self.strings(fields["remove"][1], "'remove'"):
                gone = [p for p in drafts if p == name or p.startswith(name + "/")]
                if not gone:
                    self.problem(node, f"cannot remove {name!r}: no such inherited topic; inherited: "
                                       f"{format_choices(drafts)}")
                for p in gone:
                    del drafts[p]

        values: dict[str, str] = {}
        for key in ("name", "version", "column", "description"):
            if key in fields:
                value = self.scalar(fields[key][1], f"'{key}'")
                if value is not None:
                    values[key] = value
        column = values.get("column", parent.column if parent else "topics")
        if not re.match(r"^[A-Za-z_][\w]*$", column):
            self.problem(fields["column"][1], f"column {column!r} is not a valid column name (letters, digits, _)")

        if "topics" not in fields:
            self.problem(root, "missing 'topics:' mapping")
        else:
            self.parse_topics(fields["topics"][1], "", drafts, inherited=set(drafts))
            if not drafts and not self.problems:
                self.problem(fields["topics"][1], "the codebook defines no topics")

        if self.problems:
            return None
        default_name = Path(self.source).stem if self.base is not None else self.source
        return Codebook(
            name=values.get("name", default_name),
            column=column,
            specs=tuple(d.freeze() for d in _ordered(drafts)),
            version=values.get("version", parent.version if parent and "name" not in values else ""),
            description=values.get("description", ""),
            source=self.source,
        )

    def resolve_extends(self, node: yaml.Node) -> Codebook | None:
        target = self.scalar(node, "'extends'")
        if target is None:
            return None
        if target in BUILTIN_CODEBOOKS:
            if target in self.chain:
                self.problem(node, f"'extends: {target}' forms a cycle")
                return None
            try:
                return _load_builtin(target)
            except CodebookError as exc:
                self.problem(node, str(exc))
                return None
        path = Path(target)
        if not path.is_absolute() and self.base is not None:
            path = self.base / path
        if not path.is_file():
            self.problem(node, f"unknown 'extends' target {target!r}: not a built-in codebook "
                               f"({format_choices(BUILTIN_CODEBOOKS)}) nor an existing file ({str(path)!r})")
            return None
        parent, problems = _parse_file(path, self.chain)
        if problems:
            self.problem(node, f"the codebook it extends ({target!r}) has {len(problems)} problem(s): "
                               + "; ".join(str(p) for p in problems[:5]))
            return None
        return parent

    def parse_topics(self, node: yaml.Node, prefix: str, drafts: dict[str, _Draft], inherited: set[str]) -> None:
        for name, key_node, value_node in self.mapping(node, "'topics'"):
            parts = [p.strip() for p in name.split("/")]
            if not all(parts) or not all(_SLUG.match(p) for p in parts):
                self.problem(key_node, f"invalid topic name {name!r}: use words separated by '/', "
                                       "e.g. 'process/delivery'")
                continue
            path = prefix + "/".join(parts)
            self.parse_topic(path, key_node, value_node, drafts, inherited)

    def parse_topic(
        self, path: str, key_node: yaml.Node, node: yaml.Node, drafts: dict[str, _Draft], inherited: set[str]
    ) -> None:
        if path in drafts and path not in inherited:
            self.problem(key_node, f"topic {path!r} is defined twice")
            return
        draft = drafts.get(path) or _Draft(path)
        drafts[path] = draft
        has_children = False
        replace = False
        entries = list(self.mapping(node, f"topic {path!r}"))
        for key, knode, vnode in entries:
            if key == "replace":
                replace = isinstance(vnode, yaml.ScalarNode) and vnode.value.lower() in ("true", "yes", "on")
        if replace:
            draft.lists = {k: {} for k in _LIST_KEYS}
        for key, knode, vnode in entries:
            if key not in _TOPIC_KEYS:
                self.problem(knode, f"unknown key {key!r} in topic {path!r}; allowed: {format_choices(_TOPIC_KEYS)}")
            elif key == "label":
                draft.label = self.scalar(vnode, "'label'") or draft.label
            elif key == "definition":
                self.parse_definition(vnode, draft)
            elif key == "names":
                self.parse_names(vnode, draft)
            elif key == "examples":
                self.parse_examples(vnode, draft)
            elif key in _LIST_KEYS:
                self.parse_lists(key, vnode, draft)
            elif key == "topics":
                before = len(drafts)
                self.parse_topics(vnode, path + "/", drafts, inherited)
                has_children = has_children or len(drafts) > before
        has_inherited_children = any(p.startswith(path + "/") for p in drafts)
        if not draft.has_patterns() and not has_children and not has_inherited_children:
            self.problem(key_node, f"topic {path!r} is empty: give it 'terms' or 'regex' "
                                   "(in at least one language) or subtopics")

    def parse_definition(self, node: yaml.Node, draft: _Draft) -> None:
        if isinstance(node, yaml.ScalarNode):
            draft.definition["en"] = str(node.value)
            return
        self.parse_texts(node, "definition", "'definition'", draft.definition)

    def parse_names(self, node: yaml.Node, draft: _Draft) -> None:
        self.parse_texts(node, "names", f"'names' of topic {draft.path!r}", draft.names)

    def parse_texts(self, node: yaml.Node, key: str, what: str, target: dict[str, str]) -> None:
        """A mapping language -> one text (whitespace collapsed) into ``target``."""
        for lang, knode, vnode in self.mapping(node, what):
            if lang not in LANGUAGES:
                self.problem(knode, f"bad language code {lang!r} in '{key}'; allowed: {format_choices(LANGUAGES)}")
                continue
            value = self.scalar(vnode, f"{key}[{lang}]")
            if value is not None:
                target[lang] = " ".join(value.split())

    def parse_examples(self, node: yaml.Node, draft: _Draft) -> None:
        for lang, knode, vnode in self.mapping(node, f"'examples' of topic {draft.path!r}"):
            if lang not in LANGUAGES:
                self.problem(knode, f"bad language code {lang!r} in 'examples'; allowed: {format_choices(LANGUAGES)}")
                continue
            items = draft.examples.setdefault(lang, [])
            for value, _ in self.strings(vnode, f"examples[{lang}] of topic {draft.path!r}"):
                if value not in items:
                    items.append(value)

    def parse_lists(self, key: str, node: yaml.Node, draft: _Draft) -> None:
        for lang, knode, vnode in self.mapping(node, f"'{key}'"):
            if lang not in TERM_LANGUAGES:
                self.problem(knode, f"bad language code {lang!r} in '{key}' of topic {draft.path!r}; "
                                    f"allowed: {format_choices(TERM_LANGUAGES)}")
                continue
            items = draft.lists[key].setdefault(lang, [])
            for value, item_node in self.strings(vnode, f"{key}[{lang}] of topic {draft.path!r}"):
                if key == "regex":
                    problem = _regex_problem(value)
                    if problem:
                        self.problem(item_node, f"regex {value!r} of topic {draft.path!r} {problem}")
                        continue
                elif not _term_ok(value):
                    self.problem(item_node, f"term {value!r} of topic {draft.path!r} has no letters or digits "
                                            "(or a '*' that is not at the end of a word)")
                    continue
                if value not in items:
                    items.append(value)


def _regex_problem(pattern: str) -> str | None:
    """Why a codebook regex is refused: it does not compile, or it can backtrack catastrophically."""
    import regex

    from ._regex import unsafe_reason

    try:
        regex.compile(pattern, regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        return f"does not compile: {exc}"
    reason = unsafe_reason(pattern)
    if reason:
        return (f"can take exponential time on some comments: {reason}; rewrite it without the nested "
                "repetition, e.g. '(a+)+' as 'a+'")
    return None


def _term_ok(term: str) -> bool:
    body = term[1:] if term.startswith("=") else term
    if not re.search(r"\w", body):
        return False
    return "*" not in body.rstrip("*") and body.count("*") <= 1


def _ordered(drafts: dict[str, _Draft]) -> list[_Draft]:
    """Parents before children; siblings in order of first appearance."""
    children: dict[str, list[str]] = {}
    for path in drafts:
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        while parent and parent not in drafts:
            parent = parent.rsplit("/", 1)[0] if "/" in parent else ""
        children.setdefault(parent, []).append(path)
    out: list[_Draft] = []

    def visit(parent: str) -> None:
        for path in children.get(parent, []):
            out.append(drafts[path])
            visit(path)

    visit("")
    return out
