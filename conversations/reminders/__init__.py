"""Deadline nudges: who owes what, which nudge is due when, and the neutral messages (no channel code).

Rules come from each form's `reminders:` block. A pass (`run_pass`) works out the nudges due now,
records each under its unique key (period, unit, person, rule) together with its outbox message, and
leaves sending to the outbox delivery. See `README.md` in this folder for the rules as implemented.
"""

from conversations.reminders.passes import PassReport, pass_in, plan_pass, record, run_pass
from conversations.reminders.planner import Action, Decision, Nudge
from conversations.reminders.rules import Kind, Rule
from conversations.reminders.upcoming import Upcoming, upcoming

__all__ = ["Action", "Decision", "Kind", "Nudge", "PassReport", "Rule", "Upcoming", "pass_in", "plan_pass",
           "record", "run_pass", "upcoming"]
