"""Dialogue flows: each module handles one part of the conversation."""
