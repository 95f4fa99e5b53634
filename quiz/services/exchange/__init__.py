"""Question files in and out of the database: Moodle GIFT and XML, Anki, CSV, JSON.

The formats themselves (parsing, writing, validation) are ``quiz.exchange``; this
wing stores and selects the rows. See docs/architecture.md: it may import the
platform modules and the library, accounts, study and authoring wings.
"""
