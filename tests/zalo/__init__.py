"""Tests of the Zalo transport against the local fake Zalo API."""
