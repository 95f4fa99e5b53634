"""Classes: an instructor creates one, students join it with its code, the roster.

A class is its owner's alone: another instructor asking for it gets ``NotFound``,
as for anything that is not theirs. Joining twice is joining once (the roster's
primary key is the pair class, student). Services flush; the caller commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...class_models import (
    CLASS_CODE_ALPHABET,
    CLASS_CODE_LENGTH,
    CLASS_NAME_MAX_LENGTH,
    Classroom,
    Membership,
)
from ...extensions import db
from ...models import ROLE_STUDENT, User
from ..database import insert_unless_duplicate
from ..errors import Invalid, NotFound

# A clash among 31^8 codes is rare; a few draws make it vanish.
CODE_DRAWS = 10
# What people type between the groups of a code, or around it.
_CODE_SEPARATORS = str.maketrans("", "", " -_.\t")


@dataclass(frozen=True)
class RosterEntry:
    """A student of a class, with when they joined."""

    student_id: int
    username: str
    joined_at: datetime


def create_class(owner: User, name: str) -> Classroom:
    """A new class of ``owner`` (an instructor) named ``name``, with a fresh class code."""
    if not owner.is_instructor:
        raise Invalid("Seuls les enseignants créent des classes.")
    name = clean_name(name)
    classroom = Classroom(owner_id=owner.id, name=name, code=_unused_code())
    db.session.add(classroom)
    db.session.flush()
    return classroom


def clean_name(name: str) -> str:
    """``name`` trimmed; ``Invalid`` if empty or too long."""
    name = (name or "").strip()
    if not name or len(name) > CLASS_NAME_MAX_LENGTH:
        raise Invalid(f"Donnez à la classe un nom de 1 à {CLASS_NAME_MAX_LENGTH} caractères.")
    return name


def normalize_code(text: str | None) -> str | None:
    """A typed class code in its stored form (capitals, no separators); None if it cannot be one."""
    code = (text or "").translate(_CODE_SEPARATORS).upper()
    if len(code) != CLASS_CODE_LENGTH or any(c not in CLASS_CODE_ALPHABET for c in code):
        return None
    return code


def display_code(code: str) -> str:
    """The code in two groups of four, as it is easiest to read aloud: ``ABCD-EFGH``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def join_class(student: User, code_text: str) -> Classroom:
    """Put ``student`` on the roster of the class with that code (once, however often asked).

    ``Invalid`` for a code that cannot be one, or for an account that is not a
    student's; ``NotFound`` when no class has the code.
    """
    code = normalize_code(code_text)
    if code is None:
        raise Invalid("Un code de classe a 8 lettres ou chiffres, par exemple ABCD-EFGH.")
    classroom = db.session.scalar(select(Classroom).where(Classroom.code == code))
    if classroom is None:
        raise NotFound("Aucune classe n'a ce code.")
    if student.role != ROLE_STUDENT:
        raise Invalid("Seuls les comptes d'élèves rejoignent une classe.")
    insert_unless_duplicate(Membership, {"class_id": classroom.id, "student_id": student.id})
    return classroom


def owned_class(owner: User, class_id: int) -> Classroom:
    """The class ``class_id`` if ``owner`` owns it; ``NotFound`` otherwise."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or classroom.owner_id != owner.id:
        raise NotFound("Cette classe n'existe pas.")
    return classroom


def member_class(student: User, class_id: int) -> Classroom:
    """The class ``class_id`` if ``student`` is on its roster; ``NotFound`` otherwise."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not is_member(classroom.id, student.id):
        raise NotFound("Cette classe n'existe pas.")
    return classroom


def is_member(class_id: int, student_id: int) -> bool:
    """Whether the student is on the class's roster."""
    return db.session.get(Membership, (class_id, student_id)) is not None


def classes_owned_by(owner: User) -> list[tuple[Classroom, int]]:
    """The owner's classes, newest first, each with its number of students."""
    students = (
        select(func.count())
        .where(Membership.class_id == Classroom.id)
        .correlate(Classroom)
        .scalar_subquery()
    )
    query = (
        select(Classroom, students)
        .where(Classroom.owner_id == owner.id)
        .order_by(Classroom.created_at.desc(), Classroom.id.desc())
    )
    return [(classroom, count) for classroom, count in db.session.execute(query)]


def classes_of_student(student: User) -> list[Classroom]:
    """The classes the student is on the roster of, by name."""
    query = (
        select(Classroom)
        .join(Membership, Membership.class_id == Classroom.id)
        .where(Membership.student_id == student.id)
        .order_by(Classroom.name, Classroom.id)
    )
    return list(db.session.scalars(query))


def roster(classroom: Classroom) -> list[RosterEntry]:
    """The class's students, by name."""
    query = (
        select(User.id, User.username, Membership.joined_at)
        .join(Membership, Membership.student_id == User.id)
        .where(Membership.class_id == classroom.id)
        .order_by(func.lower(User.username))
    )
    return [RosterEntry(row.id, row.username, row.joined_at) for row in db.session.execute(query)]


def remove_student(classroom: Classroom, student_id: int) -> None:
    """Take the student off the roster; ``NotFound`` if they are not on it.

    Their attempts and answers stay (they are their work), but they no longer
    see the class, start its assignments or answer in an attempt under way.
    """
    membership = db.session.get(Membership, (classroom.id, student_id))
    if membership is None:
        raise NotFound("Cet élève ne fait pas partie de la classe.")
    db.session.delete(membership)
    db.session.flush()


def _unused_code() -> str:
    """A class code no class has."""
    for _ in range(CODE_DRAWS):
        code = "".join(secrets.choice(CLASS_CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))
        if db.session.scalar(select(Classroom.id).where(Classroom.code == code)) is None:
            return code
    raise RuntimeError("no free class code found")  # 31^8 codes: never in practice
