"""A small declarative rule engine: facts, conditions as data, questions, outcomes."""

from validation import SchemaError

from .engine import Assessment, Engine, Status
from .facts import UNKNOWN, FactSpec, Value
from .model import Question, Rule, RuleSet, parse_ruleset

__all__ = [
    "Assessment", "Engine", "FactSpec", "Question", "Rule", "RuleSet",
    "SchemaError", "Status", "UNKNOWN", "Value", "parse_ruleset",
]  # fmt: skip
