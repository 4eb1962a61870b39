"""Factories and fixtures shared by the test rings."""
