"""Tests of the answer parsers (conversations/parsing)."""
