"""Accounts: users, passwords, API tokens, a visitor's work claimed at sign-up.

See docs/architecture.md. A service wing: it may import the platform modules at
the root of ``quiz.services`` and the models; no other wing.
"""
