"""What an utterance means: an intent name with typed slots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Slots that may be filled more than once in one utterance; they merge as lists.
LIST_SLOTS = ("present", "absent")


@dataclass(frozen=True)
class Intent:
    name: str
    slots: dict[str, Any]
    confidence: float
    text: str = ""
    # The pieces an utterance was split into, each an intent of its own
    # ("yes, and I drink five coffees" -> Yes + Trigger); empty when whole.
    parts: tuple[Intent, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parts] if self.parts else [self.name]

    def to_json(self) -> dict[str, Any]:
        return {"intent": self.name, "slots": self.slots, "confidence": round(self.confidence, 3)}


def merge_slots(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for slots in parts:
        for key, value in slots.items():
            if key in LIST_SLOTS:
                merged.setdefault(key, [])
                for item in value:
                    if item not in merged[key]:
                        merged[key].append(item)
            elif key not in merged:
                merged[key] = value
            elif key == "area" and value != merged[key]:
                merged.setdefault("areas", [merged[key]])
                if value not in merged["areas"]:
                    merged["areas"].append(value)
            else:
                merged[key] = value  # a later statement corrects an earlier one
    return merged
