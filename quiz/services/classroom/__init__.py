"""The classroom: homework (classes, assignments, grades) and live sessions played in the
room. Every operation here is a named service that flushes; the caller commits once.

Homework: ``classes`` (classes, class codes, rosters), ``assignments`` (a fixed question
set, its schedule, attempts), ``grades`` (results per student and per question, CSV and
XLSX); when an assignment takes answers is the study wing's ``deadlines``.

Live sessions keep their whole state in the database (``quiz.live_models``):

- ``codes``: join codes, short and unambiguous;
- ``sessions``: make a session from approved questions, then drive it (start,
  next, reveal, leaderboard, pause, resume, skip, end), each change checked
  against the version the instructor saw;
- ``participants``: join, rejoin with a token or an account, remove a nickname;
- ``answers``: the answer hot path, judged by the server's clock;
- ``state``: what a player, the projector or an event may see, nothing more;
- ``results``: scores and ranks derived from answer rows, per student and per
  question, and their CSV export;
- ``push``: one subscriber per worker process that wakes the event streams.
"""
