"""The Zalo Bot Platform channel (a bot from Zalo Bot Manager, no Official Account): client and updates."""
