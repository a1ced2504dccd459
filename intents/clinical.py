"""medSpaCy's target matcher and ConText, the parts of it understanding uses, without QuickUMLS.

Importing any part of medSpaCy 1.3 runs ``from quickumls import spacy_component`` for its UMLS
component, and QuickUMLS imports NLTK and SciPy: about 100 MB of memory and 1.5 s of start-up for
something twitchcheck never uses.  A stand-in takes its place unless the real one is already loaded.
"""

from __future__ import annotations

import sys
import types

if "quickumls" not in sys.modules:
    _standin = types.ModuleType("quickumls", "not loaded by twitchcheck (intents/clinical.py)")
    _standin.spacy_component = None  # type: ignore[attr-defined]
    sys.modules["quickumls"] = _standin

from medspacy.context import ConText, ConTextRule  # noqa: E402
from medspacy.target_matcher import TargetMatcher, TargetRule  # noqa: E402

__all__ = ["ConText", "ConTextRule", "TargetMatcher", "TargetRule"]
