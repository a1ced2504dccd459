"""Understanding text: intent templates (hassil) to Intent(name, slots, confidence)."""

from .model import Intent
from .parse import IntentParser
from .templates import load_templates

__all__ = ["Intent", "IntentParser", "load_templates"]
