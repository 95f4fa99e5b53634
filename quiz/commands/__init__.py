"""The project commands of the ``quiz`` command line, registered on ``app.cli`` by the factory.

``core``: init-db, import-sheets, generate, create-user, worker; ``exchange``: question
files in and out; ``revisions``: sheet-diff; ``uploads``: import-file; ``common``: exit
statuses and the import summary they share. The ``quiz`` program itself (Flask's group)
is ``quiz.cli``, apart from these so that the factory, which imports them, is not
imported back by the package it imports.
"""
