"""Zalo Official Account transport: API client, token keeper and webhook helpers (no dialogue logic)."""
