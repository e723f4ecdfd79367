"""Helpers and long-running drivers for the attack, fault, fuzz and limit tests."""
