"""Understanding text: an utterance and the pending question to an Understanding of everything in it.

The template layer (hassil, ``IntentParser``) reads commands and gives the
recognizers their grammar; the concept, value, answer and topic layers read
people's own words.
"""

from .model import Intent
from .parse import IntentParser
from .templates import load_templates
from .topics import TopicExamples, TopicSettings
from .understand import Sources, Understander
from .understanding import FactFound, Found, Pending, TopicFound, Understanding

__all__ = [
    "FactFound", "Found", "Intent", "IntentParser", "Pending", "Sources", "TopicExamples", "TopicFound",
    "TopicSettings", "Understander", "Understanding", "load_templates",
]  # fmt: skip
