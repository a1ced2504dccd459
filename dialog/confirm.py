"""When to ask "Did you say …?" before acting on what a recognizer heard.

Only where acting on a mishearing would be unsafe or wrong: a phrase heard
with little confidence; a "no" that would rule out a warning sign; a doubted
phrase that names a warning sign, which is confirmed rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hearing:
    """A recognized turn, as the skill takes it."""

    text: str
    confidence: float
    rejected: bool = False  # the recognizer doubts it too much to act on
    doubted: str = ""  # the phrase it rejected, kept so a warning sign is not lost
    # an open-vocabulary recognizer's hypotheses, best first, each with its chance of being right
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class ConfirmPolicy:
    # Below this confidence, ask "Did you say ...?" first.  With pocketsphinx's verifier, on
    # the dev set (bench/fit_verifier.py), clean and with a quiet room's hiss, each voice
    # judged by a model fitted on the others: 3.5% of off-topic speech acted on and 13% of
    # answers confirmed first; at 0.8, 4.2% acted on and 9% confirmed, at 0.9, 0.7% and 20%.
    confirm_below: float = 0.85
    # A "no" to a question that screens for warning signs is confirmed unless heard at least
    # this surely: misheard, it would rule out a stroke sign or a red flag the user has.
    sure_all_clear: float = 0.95
    # A rejected phrase that names a warning sign is confirmed, not dropped, unless heard with
    # less than this chance of being right: then it is nearly always other speech forced onto
    # a warning sign ("add milk to my shopping list" as "bad ms over two months ago").  On the
    # dev set the right warning signs the recognizer rejected were heard at 0.09 or more;
    # below 0.05 fell 12 of the 40 off-topic phrases it would otherwise confirm.
    rescue_at_least: float = 0.05
    # A warning sign understanding found with less confidence than this (the vocabulary and the
    # reader disagree, or the reader alone found it) is asked about before it is acted on.
    sure_sign: float = 0.9
    # An answer said on its own in so many words ("no", "nope", "not sure": the templates' phrases,
    # nothing else in the turn) is taken without confirming when heard with at least this chance.
    # None: no such shortcut (pocketsphinx hears nothing but template phrases).  Set per
    # recognizer from bench/confirm_bench.py.
    clear_at_least: float | None = None

    @property
    def doubtful(self) -> float:
        """A confidence low enough that what is heard with it is confirmed first."""
        return round(self.confirm_below - 0.01, 3)

    def rescues(self, heard: Hearing, names_warning_sign: bool) -> bool:
        """Whether a rejected phrase is kept, to be confirmed: it names a warning sign, with some support."""
        return (
            heard.rejected and bool(heard.doubted) and names_warning_sign and heard.confidence >= self.rescue_at_least
        )

    def confirms(self, heard: Hearing, rules_out_warning_sign: bool, clear_answer: bool = False) -> bool:
        """Whether to ask "Did you say ...?" before acting on a phrase that was not rejected."""
        if clear_answer and self.clear_at_least is not None and heard.confidence >= self.clear_at_least:
            return False
        if heard.confidence < self.confirm_below:
            return True
        return rules_out_warning_sign and heard.confidence < self.sure_all_clear
