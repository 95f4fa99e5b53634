"""wrk runs for the benchmarks: a Lua script posting prepared bodies, and its figures.

Each wrk thread takes every n-th line of a bodies file (``path<TAB>json``), so
no two requests of a run send the same body; the script's ``done`` prints one
JSON line of figures that ``run_wrk`` reads back.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Each wrk thread takes every n-th line of the bodies file ("path<TAB>json"),
# so no two requests of a run share an (attempt, question) pair. A thread that
# runs out stops and says so rather than send a duplicate (a 409), unless told
# to cycle (the bare app, which stores nothing).
WRK_SCRIPT = r"""
local threads, next_index = {}, 0

function setup(thread)
  thread:set("index", next_index)
  next_index = next_index + 1
  table.insert(threads, thread)
end

function init(args)
  local path, thread_count, token = args[1], tonumber(args[2]), args[3]
  cycle = args[4] == "cycle"
  items, position, ran_out = {}, 1, 0
  local line_number = 0
  for line in io.lines(path) do
    if line_number % thread_count == index then
      local tab = line:find("\t", 1, true)
      table.insert(items, {line:sub(1, tab - 1), line:sub(tab + 1)})
    end
    line_number = line_number + 1
  end
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
end

function request()
  if items[position] == nil and cycle then
    position = 1
  end
  local item = items[position]
  if item == nil then
    ran_out = 1
    wrk.thread:stop()
    item = items[#items]
  end
  position = position + 1
  return wrk.format("POST", item[1], headers, item[2])
end

function done(summary, latency, requests)
  local ran_out_threads = 0
  for _, thread in ipairs(threads) do
    ran_out_threads = ran_out_threads + thread:get("ran_out")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d, "ran_out_threads": %d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99), ran_out_threads))
end
"""



@dataclass(frozen=True)
class Figures:
    """What one wrk run measured."""

    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    ran_out_threads: int

    @property
    def per_second(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds

    def line(self, name: str) -> str:
        """One printed line of figures."""
        return (
            f"{name:<8} {self.per_second:8.0f} req/s   p50 {self.p50_ms:6.1f} ms"
            f"   p99 {self.p99_ms:6.1f} ms   ({self.requests} requests,"
            f" {self.non_2xx} non-2xx, {self.socket_errors} socket errors)"
        )



def run_wrk(
    base: str, bodies: Path, token: str, args: argparse.Namespace, seconds: int, cycle: bool
) -> Figures:
    """One wrk run against ``base`` with the bodies of ``bodies`` (reused if ``cycle``)."""
    script = bodies.with_suffix(".lua")
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s",
        "--timeout", "10s", "-s", str(script), base, "--", str(bodies), str(args.threads), token,
        "cycle" if cycle else "once",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    result = json.loads(output.stdout.strip().splitlines()[-1])
    return Figures(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        non_2xx=result["non_2xx"],
        socket_errors=result["socket_errors"],
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        ran_out_threads=result["ran_out_threads"],
    )


def write_bodies(path: Path, lines: list[str]) -> Path:
    """The bodies file wrk's threads read."""
    path.write_text("\n".join(lines) + "\n")
    return path
