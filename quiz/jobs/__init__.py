"""Background imports: uploaded sheets are imported by a queue worker, not by the web.

``model`` is the job row the web and the worker share (its state, its progress,
why it failed); ``queue`` binds a huey queue to the app (SQLite in the instance
folder by default, Redis when ``REDIS_URL`` is set) and keeps the workers'
heartbeats; ``worker`` is the ``quiz worker`` command. What a job does is in
``services.library.import_jobs``.
"""
