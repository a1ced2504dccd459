"""Loading the content directory, validating every file as it is read.

A mistake in any file stops the load with one message that names the file,
the item, the field and what was expected, e.g.::

    checkin.yaml: rules[3] (spread).when.fact: expected a fact declared under 'facts', got 'sprd'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from hassil import Intents

from intents import Sources, TopicExamples, Understander
from intents.compiled import cache_file, kept_in
from intents.language import LanguageData, parse_language
from intents.merge import ReaderSettings
from intents.reader import FILES as READER_FILES
from intents.reader import Reader, ReaderError
from intents.templates import Templates, load_templates
from rules.model import RuleSet, parse_ruleset
from validation import SchemaError, optional, require

from .journal import JournalContent, parse_journal
from .relaxation import Relaxation, parse_relaxation

DIALOG_KEYS = (
    "greeting", "opening", "opening_choices", "help", "not_understood", "noted", "corrected", "dont_know",
    "start_over", "goodbye", "thanks", "greeting_reply", "back_to_question", "why_opening",
    "why_after", "not_disclaimer", "offer_relaxation", "offer_relaxation_choices",
    "anything_else", "anything_else_choices", "relax_intro", "voice_only",
    "slower", "faster", "louder", "quieter", "still_listening", "misheard", "did_you_say", "check_sign",
    "one_by_one", "sign_each", "not_understood_again", "move_on", "which_topic", "can_answer", "partly", "all_denied",
    "good_night", "okay", "tell_me_more",
    "more_prompt", "nothing_more", "help_spoken", "noted_short", "noted_spoken",
    "anything_else_short", "no_microphone", "assessment_unchanged", "asked_again",
)  # fmt: skip
# What the conversation can do when asked; dialog.yaml maps template intents to these.
ACTIONS = (
    "help", "repeat", "why", "start_over", "stop", "slower", "faster", "louder", "quieter", "thanks", "greeting",
    "relax", "more", "enough", "pause", "summary_week", "summary_month", "explain",
)  # fmt: skip


class ContentError(ValueError):
    def __init__(self, file: str, where: str, expected: str, got: Any = None, line: int | None = None) -> None:
        self.file = file
        self.where = where
        self.expected = expected
        spot = f"{file}:{line}" if line else file
        got_text = "" if got is None else f", got {got!r}"
        super().__init__(f"{spot}: {where}: expected {expected}{got_text}")


@dataclass(frozen=True)
class Topic:
    id: str
    intent: str | None  # the template intent that asks it (the recognizers' grammar), if any
    title: str
    name: str  # what to call it in "Do you mean caffeine, or sleep?"
    examples: tuple[str, ...]
    answer: str
    source: str
    spoken: str = ""  # the answer said in one breath; empty: the answer's first sentences
    # the assessment levels it answers after; after another ("what should I do?" once told to see a doctor
    # promptly) the assessment's own advice is given instead; empty: any
    for_levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    directory: Path
    ruleset: RuleSet
    templates: Mapping[str, Any]  # the template document, also the grammar's source
    intents: Intents
    topics: Mapping[str, Topic]  # by topic id
    relaxation: Relaxation
    dialog: Mapping[str, str]
    sources: Mapping[str, Any]
    commands: Mapping[str, str]  # template intent -> dialog action
    language: LanguageData
    vocabulary: Mapping[str, Any]
    understander: Understander
    journal: JournalContent | None = None  # journal.yaml; a content set without one keeps no history


def default_directory() -> Path:
    return Path(str(resources.files("content") / "data"))


def load_content(directory: Path | str | None = None) -> Content:
    base = Path(directory) if directory is not None else default_directory()
    sources_doc = _read(base, "sources.yaml")
    sources = _check(base, "sources.yaml", lambda: _parse_sources(sources_doc))
    check_source = _source_checker(sources)

    checkin_doc = _read(base, "checkin.yaml")
    ruleset = _check(base, "checkin.yaml", lambda: parse_ruleset(checkin_doc))
    _check(base, "checkin.yaml", lambda: _check_sources(ruleset, check_source))

    templates_doc = _read(base, "intents.yaml")
    templates = _check(base, "intents.yaml", lambda: load_templates(templates_doc))
    compiled = templates.intents
    _check(base, "intents.yaml", lambda: _check_fact_slots(templates_doc, templates, set(ruleset.facts)))

    guidance_doc = _read(base, "guidance.yaml")
    topics = _check(base, "guidance.yaml", lambda: _parse_topics(guidance_doc, check_source, compiled, ruleset.levels))
    relax_doc = _read(base, "relaxation.yaml")
    relaxation = _check(base, "relaxation.yaml", lambda: parse_relaxation(relax_doc, check_source, ruleset.levels))
    # The conversation's and the language's own wording are not about any symptom: a content set may reuse ours.
    dialog_base = base if (base / "dialog.yaml").exists() else default_directory()
    dialog_doc = _read(dialog_base, "dialog.yaml")
    dialog = _check(base, "dialog.yaml", lambda: _parse_dialog(dialog_doc))
    # borrowed wording keeps only the commands this content's templates can say
    borrowed = dialog_base != base
    commands = _check(base, "dialog.yaml", lambda: _parse_commands(dialog_doc, compiled, borrowed))
    language_base = base if (base / "language.yaml").exists() else default_directory()
    language_doc = _read(language_base, "language.yaml")
    language = _check(base, "language.yaml", lambda: parse_language(language_doc))
    vocabulary_doc = _read(base, "vocabulary.yaml")
    duration = _check(base, "vocabulary.yaml", lambda: _duration_fact(vocabulary_doc, ruleset))
    sources_for = Sources(
        language=language,
        vocabulary=vocabulary_doc,
        templates=templates_doc,
        facts=tuple(ruleset.facts),
        duration_fact=duration,
        topics=tuple(TopicExamples(t.id, (t.title, *t.examples)) for t in topics.values()),
        commands=tuple(commands),
    )
    reader = _reader(base, ruleset, topics, commands)
    sources_for = replace(
        sources_for,
        actions=dict(commands),
        warning_signs=tuple(sorted(ruleset.warning_signs)),
        reader=reader,
        reader_settings=ReaderSettings.from_json(reader.settings if reader else None),
    )
    key = _fingerprint(
        language_doc, vocabulary_doc, templates_doc, sorted(ruleset.facts), guidance_doc, reader and reader.digest
    )
    understander = _check(
        base, "vocabulary.yaml", lambda: _understander(key, sources_for), {"language.yaml": language_doc}
    )
    journal = None
    if (base / "journal.yaml").exists():
        journal_doc = _read(base, "journal.yaml")
        journal = _check(
            base, "journal.yaml", lambda: parse_journal(journal_doc, ruleset, check_source, set(commands.values()))
        )
    return Content(
        base, ruleset, templates_doc, compiled, topics, relaxation, dialog, sources, commands,
        language, vocabulary_doc, understander, journal,
    )  # fmt: skip


_BUILT: dict[str, Understander] = {}
_READERS: dict[Path, Reader] = {}


def _reader(base: Path, rs: RuleSet, topics: Mapping[str, Topic], commands: Mapping[str, str]) -> Reader | None:
    """The content's trained reader (reader/), checked against the content; none: the vocabulary alone."""
    folder = base / "reader"
    if not folder.exists():
        return None
    if folder not in _READERS:
        try:
            reader = Reader(folder)
            reader.check(list(rs.facts), list(topics), sorted(set(commands.values())))
        except ReaderError as exc:
            raise ContentError(
                "reader/reader.json",
                "(reader)",
                f"{', '.join(READER_FILES)} as scripts/train_reader.py wrote them",
                str(exc),
            ) from None
        _READERS[folder] = reader
    return _READERS[folder]


# libyaml's safe loader where PyYAML was built with it: the content loads several times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _understander(key: str, sources: Sources) -> Understander:
    """Compiling the vocabulary takes seconds; the same documents give the same understanding."""
    if key not in _BUILT:
        with kept_in(cache_file(key)):  # the phrases compiled for this content last time
            _BUILT[key] = Understander(sources)
    return _BUILT[key]


def _fingerprint(*docs: Any) -> str:
    return hashlib.sha256(json.dumps(docs, sort_keys=True, default=str).encode()).hexdigest()


def _duration_fact(doc: Any, rs: RuleSet) -> str:
    spec = require(doc, "duration", "", dict, "a mapping {fact: the fact a length of time fills}")
    fact = require(spec, "fact", "duration", str, "a fact of type days")
    if fact not in rs.facts or rs.facts[fact].type != "days":
        raise SchemaError("duration.fact", "a fact of type days declared in checkin.yaml", fact)
    return str(fact)


def _parse_commands(doc: Any, compiled: Intents, borrowed: bool) -> dict[str, str]:
    commands = require(doc, "commands", "", dict, "a mapping of template intent: action")
    if borrowed:
        commands = {k: v for k, v in commands.items() if k in compiled.intents}
    for intent, action in commands.items():
        if intent not in compiled.intents:
            raise SchemaError(f"commands.{intent}", "an intent defined in intents.yaml", intent)
        if action not in ACTIONS:
            raise SchemaError(f"commands.{intent}", f"one of {', '.join(ACTIONS)}", action)
    return dict(commands)


def _read(base: Path, name: str) -> Any:
    path = base / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(name, "(file)", f"the file to exist in {base}") from None
    except UnicodeDecodeError as exc:
        raise ContentError(name, "(file)", "UTF-8 text", str(exc)) from None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(name, "(YAML syntax)", "valid YAML", problem, line) from None


def _check(base: Path, name: str, build: Any, also: Mapping[str, Any] | None = None) -> Any:
    """``build()``, its schema errors named by file; ``also``: other files (name: document) whose
    sections it reads, named when the error's section is theirs."""
    try:
        return build()
    except SchemaError as exc:
        where = exc.where.lstrip(".")
        section = where.split(".")[0].split("[")[0]
        owner = next((n for n, doc in (also or {}).items() if isinstance(doc, dict) and section in doc), name)
        raise ContentError(owner, where, exc.expected, exc.got) from None


def _parse_sources(doc: Any) -> dict[str, Any]:
    documents = require(doc, "documents", "", dict, "a mapping of document key: {file, title, sections}")
    for key, spec in documents.items():
        require(spec, "file", f"documents.{key}", str, "the seed file name")
        sections = require(spec, "sections", f"documents.{key}", list, "a list of section headings")
        for i, section in enumerate(sections):
            if not isinstance(section, str) or not section.strip():
                raise SchemaError(f"documents.{key}.sections[{i}]", "a section heading", section)
    return dict(documents)


def _source_checker(sources: Mapping[str, Any]) -> Any:
    def check(source: str, where: str) -> None:
        doc, sep, section = source.partition(" § ")
        if not sep or doc not in sources:
            raise SchemaError(where, f"'<document> § <section>' with document one of {', '.join(sources)}", source)
        if section not in sources[doc]["sections"]:
            raise SchemaError(where, f"a section of {doc} listed in sources.yaml", section)

    return check


def _check_sources(rs: RuleSet, check: Any) -> None:
    for i, q in enumerate(rs.questions):
        check(q.source, f"questions[{i}] ({q.id}).source")
    for i, r in enumerate(rs.rules):
        check(r.source, f"rules[{i}] ({r.id}).source")
    for i, a in enumerate(rs.advice):
        check(a.source, f"advice[{i}] ({a.id}).source")
    for level, o in rs.outcomes.items():
        check(o.source, f"outcomes.{level}.source")


def _check_fact_slots(doc: Mapping[str, Any], templates: Templates, facts: set[str]) -> None:
    """Every fact a phrase claims to set must exist in the check-in."""
    lists = doc.get("lists") or {}
    used = templates.slot_lists.get("present", frozenset()) | templates.slot_lists.get("absent", frozenset())
    for name, intent in doc["intents"].items():
        for i, block in enumerate(intent["data"]):
            for key in ("present", "absent"):
                for value in _as_list((block.get("slots") or {}).get(key)):
                    if value not in facts:
                        raise SchemaError(
                            f"intents.{name}.data[{i}].slots.{key}", "a fact declared in checkin.yaml", value
                        )
    for name in sorted(used):
        for i, value in enumerate(lists[name].get("values", [])):
            out = value.get("out") if isinstance(value, dict) else value
            for fact in _as_list(out):
                if fact not in facts:
                    raise SchemaError(f"lists.{name}.values[{i}].out", "a fact declared in checkin.yaml", fact)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _parse_topics(doc: Any, check: Any, compiled: Intents, levels: tuple[str, ...]) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for i, t in enumerate(require(doc, "topics", "", list, "a list of topics")):
        where = f"topics[{i}]"
        tid = require(t, "id", where, str, "a topic id")
        where = f"topics[{i}] ({tid})"
        if tid in topics:
            raise SchemaError(f"{where}.id", "a topic id used once", tid)
        intent = optional(t, "intent", where, str, "the template intent that asks for this topic", None)
        if intent is not None and intent not in compiled.intents:
            raise SchemaError(f"{where}.intent", "an intent defined in intents.yaml", intent)
        source = require(t, "source", where, str, "the source document and section")
        check(source, f"{where}.source")
        examples = require(t, "examples", where, list, "a list of example questions")
        for j, example in enumerate(examples):
            if not isinstance(example, str) or not example.strip():
                raise SchemaError(f"{where}.examples[{j}]", "a question", example)
        for_levels = optional(t, "for_levels", where, list, f"a list of levels ({', '.join(levels)})", [])
        for j, level in enumerate(for_levels):
            if level not in levels:
                raise SchemaError(f"{where}.for_levels[{j}]", f"one of {', '.join(levels)}", level)
        topics[tid] = Topic(
            tid,
            intent,
            require(t, "title", where, str, "a title"),
            require(t, "name", where, str, "a short name, as in: do you mean caffeine?"),
            tuple(examples),
            require(t, "answer", where, str, "the answer, printed whole"),
            source,
            _spoken(t, where),
            tuple(for_levels),
        )
    return topics


SPOKEN_WORDS = 20  # a bedtime answer said aloud in one breath


def _spoken(t: dict[str, Any], where: str) -> str:
    spoken = t.get("spoken", "")
    if not isinstance(spoken, str) or len(spoken.split()) > SPOKEN_WORDS:
        raise SchemaError(f"{where}.spoken", f"the answer in one breath, at most {SPOKEN_WORDS} words", spoken)
    return spoken.strip()


def _parse_dialog(doc: Any) -> dict[str, str]:
    for key in DIALOG_KEYS:
        require(doc, key, "", str, "a sentence")
    return {k: str(v) for k, v in doc.items() if isinstance(v, str)}
