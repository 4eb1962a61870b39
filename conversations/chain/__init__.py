"""The reporting chain: each collecting level's own round in a period.

A unit that collects (its direct units answer the period's form) reviews what they sent, may ask
one back for a correction, writes its own part (the sections its level answers) and forwards the
roll-up upward by its own due date (`Period.forward_due`). `rounds` works out where a round
stands; `commands` are the analysts' chat commands; `sending` reacts when a unit sends again.
"""
