"""Pronunciations for words the skill's phrases use that pocketsphinx's
US-English dictionary lacks.

Without them the grammar leaves out every phrase with such a word, so
"my face droops" or "one side of my face droops" could not be heard at all.
ARPAbet, as in the dictionary; mostly built from the dictionary's own
entries for their parts (droop + s, jaw + line, spasm + ing).  The test
suite checks that no phrase of the templates is left out.
"""

from __future__ import annotations

MISSING: dict[str, str] = {
    "'ve": "V",  # "they've", split as the templates write it
    "antipsychotics": "AE N T IY S AY K AA T IH K S",
    "b12": "B IY T W EH L V",
    "cappuccinos": "K AE P UW CH IY N OW Z",
    "dinnae": "D IH N IY",  # Scots "don't", as in "i dinnae ken"
    "droops": "D R UW P S",
    "earache": "IY R EY K",
    "emg": "IY EH M JH IY",
    "healthily": "HH EH L TH AH L IY",
    "hemifacial": "HH EH M IY F EY SH AH L",
    "hiya": "HH AY Y AH",
    "hypnic": "HH IH P N IH K",
    "jawline": "JH AO L AY N",
    "lattes": "L AA T EY Z",
    "myoclonus": "M AY OW K L OW N AH S",
    "myokymia": "M AY OW K IH M IY AH",
    "parkinsons": "P AA R K IH N S AH N Z",
    "spasming": "S P AE Z AH M IH NG",
    "vaping": "V EY P IH NG",
}
