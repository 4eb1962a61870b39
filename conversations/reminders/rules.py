"""The nudges a form's `reminders:` block defines, named so the reminder log can key them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from conversations.catalog.schema import ReminderRules


class Kind:
    """What a nudge is about (the reminder log's `kind`)."""

    DEADLINE = "deadline"  # to focal persons of a unit that has not submitted
    PROVISIONAL = "provisional"  # to focal persons of a unit that submitted provisional figures
    ESCALATION = "escalation"  # to analysts of the collecting unit when a unit is late
    DIGEST = "digest"  # to analysts: the units of their subtree not yet submitted
    ALL = (DEADLINE, PROVISIONAL, ESCALATION, DIGEST)


@dataclass(frozen=True)
class Rule:
    """One nudge relative to a due date: `d-7`, `d+0`, `prov+7`, `esc+5`, `digest+4`."""

    name: str
    kind: str
    offset: int  # days after the due date (negative: before)

    def day(self, due: date) -> date:
        """The calendar day the rule names, before moving off weekends and holidays."""
        return due + timedelta(days=self.offset)


def deadline_rules(rules: ReminderRules) -> list[Rule]:
    """`d-7` … `d+3`: nudges to a unit that has not submitted, earliest first."""
    return [Rule(f"d{o:+d}", Kind.DEADLINE, o) for o in sorted(set(rules.offsets_days))]


def provisional_rules(rules: ReminderRules) -> list[Rule]:
    """`prov+7`, `prov+30`: gentle nudges to replace provisional figures after the due date."""
    return [Rule(f"prov+{n}", Kind.PROVISIONAL, n) for n in sorted(set(rules.provisional_after_days))]


def escalation_rules(rules: ReminderRules) -> list[Rule]:
    """`esc+5`: the collector's analysts hear about a unit that many days late (none when not set)."""
    n = rules.escalate_after_days
    return [] if n is None else [Rule(f"esc+{n}", Kind.ESCALATION, n)]


def digest_rules(rules: ReminderRules, first_due: date, lock_on: date) -> list[Rule]:
    """`digest+1`, `digest+4`, …: the morning after the first due date, then every few days until the lock."""
    d = rules.digest
    offsets = range(d.first_after_days, (lock_on - first_due).days + 1, d.every_days)
    return [Rule(f"digest+{n}", Kind.DIGEST, n) for n in offsets]


def unit_rules(rules: ReminderRules) -> list[Rule]:
    """Every rule planned per unit (all but the digest), in offset order."""
    return sorted(deadline_rules(rules) + provisional_rules(rules) + escalation_rules(rules),
                  key=lambda r: r.offset)
