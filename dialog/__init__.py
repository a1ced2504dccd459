"""The skill: the conversation state machine, what each question expects, when to confirm; pure, no I/O."""

from .confirm import ConfirmPolicy, Hearing
from .events import Event
from .expect import Expectations
from .session import CONFIRMING, Session, words_of

__all__ = ["CONFIRMING", "ConfirmPolicy", "Event", "Expectations", "Hearing", "Session", "words_of"]
