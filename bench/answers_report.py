"""What ``answers_bench.py`` measured, per database: rounds, tables, goals."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from wrk_runs import Figures

RATIO_GOAL = 0.40  # answers per second over the bare endpoint's, median of the rounds
P99_GOAL_MS = 100.0  # the answers' p99, worst round


@dataclass(frozen=True)
class Round:
    """One round: answers then the bare endpoint, back to back on the same machine state."""

    answers: Figures
    bare: Figures
    warm_answers: int  # 2xx answers stored during the answers' warm-up

    @property
    def ratio(self) -> float:
        """Answers per second over the bare endpoint's."""
        return self.answers.per_second / self.bare.per_second


@dataclass(frozen=True)
class Outcome:
    """Every round run on one database, and the answer rows found in it afterwards."""

    database: str  # "sqlite" or "postgres"
    server: str  # the database's name and version, as printed
    rounds: list[Round]
    rows: int
    pairs: int  # (attempt, question) pairs prepared through the API
    prepared_s: float
    connections: int

    @property
    def median_ratio(self) -> float:
        """The figure the goal is about: this machine's speed drifts within a run."""
        return statistics.median(measured.ratio for measured in self.rounds)

    @property
    def worst_p99_ms(self) -> float:
        """The answers' highest p99 of the rounds."""
        return max(measured.answers.p99_ms for measured in self.rounds)

    @property
    def counted(self) -> int:
        """2xx answers wrk counted, warm-ups included."""
        return sum(m.answers.requests - m.answers.non_2xx + m.warm_answers for m in self.rounds)

    @property
    def in_flight(self) -> int:
        """Requests that may have been stored after wrk's clock stopped (one per connection)."""
        return 2 * self.connections * len(self.rounds)  # the warm-up's and the measured run's

    @property
    def rows_match(self) -> bool:
        """Every 2xx stored a row, and nothing else did (no non-2xx answer at all)."""
        non_2xx = sum(measured.answers.non_2xx for measured in self.rounds)
        return non_2xx == 0 and self.counted <= self.rows <= self.counted + self.in_flight

    @property
    def goal_met(self) -> bool:
        """Median ratio at the goal or above, worst p99 under its goal, rows as counted."""
        ratio_met = self.median_ratio >= RATIO_GOAL
        return ratio_met and self.worst_p99_ms < P99_GOAL_MS and self.rows_match


def yes_no(value: bool) -> str:
    """How a goal is printed."""
    return "yes" if value else "NO"


def print_outcome(outcome: Outcome) -> None:
    """One database's table: a line per round, then the median, the worst p99, the goals."""
    print(f"\n== {outcome.database}: {outcome.server}")
    print(
        f"prepared {outcome.pairs} (attempt, question) pairs through the API"
        f" in {outcome.prepared_s:.1f} s"
    )
    print(
        f"{'round':>5} {'answers/s':>10} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'bare/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
    )
    for number, measured in enumerate(outcome.rounds, 1):
        answers, bare = measured.answers, measured.bare
        print(
            f"{number:>5} {answers.per_second:>10.0f} {answers.p50_ms:>7.1f}"
            f" {answers.p99_ms:>7.1f} {bare.per_second:>8.0f} {bare.p50_ms:>7.1f}"
            f" {bare.p99_ms:>7.1f} {measured.ratio:>6.2f}"
        )
    print_goals(outcome)


def print_goals(outcome: Outcome) -> None:
    """The lines under a database's table: each goal, met or not, and any warning."""
    ratio_met = outcome.median_ratio >= RATIO_GOAL
    p99_met = outcome.worst_p99_ms < P99_GOAL_MS
    print(
        f"median ratio {outcome.median_ratio:.2f} (goal >= {RATIO_GOAL:.2f}): {yes_no(ratio_met)}"
    )
    print(
        f"worst p99    {outcome.worst_p99_ms:.1f} ms (goal < {P99_GOAL_MS:.0f} ms):"
        f" {yes_no(p99_met)}"
    )
    print(
        f"stored       {outcome.rows} answer rows for {outcome.counted} 2xx responses counted"
        f" (+ at most {outcome.in_flight} in flight when wrk stopped): {yes_no(outcome.rows_match)}"
    )
    print(f"goal met     {yes_no(outcome.goal_met)}")
    for measured in outcome.rounds:
        if measured.answers.non_2xx or measured.answers.socket_errors:
            print(f"warning: {measured.answers.line('answers')}")
    if any(measured.answers.ran_out_threads for measured in outcome.rounds):
        print("warning: wrk ran out of prepared answers (rates too low); raise --pairs")


def print_summary(outcomes: list[Outcome]) -> None:
    """One line per database, when there are several."""
    if len(outcomes) < 2:
        return
    print(f"\n{'database':<10} {'median ratio':>12} {'worst p99':>10} {'rows':>5} {'goal met':>9}")
    for outcome in outcomes:
        print(
            f"{outcome.database:<10} {outcome.median_ratio:>12.2f}"
            f" {outcome.worst_p99_ms:>7.1f} ms {yes_no(outcome.rows_match):>5}"
            f" {yes_no(outcome.goal_met):>9}"
        )
