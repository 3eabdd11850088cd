"""Real processes racing on one database: ``run_workers`` starts tests/services/queue_worker.py
commands, releases them together through a "go" file (each opens its own database connection
first) and collects their JSON results. Used by the queue races and the write races."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKER = REPO / "tests" / "services" / "queue_worker.py"
TIMEOUT = 120


def run_workers(
    request, tmp_path, commands: list[list[str]], then: list[list[str]] | None = None
) -> tuple[list[dict], float]:
    """Start every command, release them together, wait for them (bounded); return their JSON
    results and the wall time. ``then`` commands get an ``--until`` file that appears once the
    first group has exited."""
    go, until = tmp_path / "go", tmp_path / "until"
    cmds = [
        c + ["--ready", str(tmp_path / f"ready{i}"), "--go", str(go)]
        for i, c in enumerate(commands)
    ]
    cmds += [
        c + ["--ready", str(tmp_path / f"ready_t{i}"), "--go", str(go), "--until", str(until)]
        for i, c in enumerate(then or [])
    ]
    ready = [c[c.index("--ready") + 1] for c in cmds]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), *c],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in cmds
    ]
    outputs: list[tuple[str, str]] = []
    try:
        deadline = time.monotonic() + TIMEOUT
        while not all(Path(r).exists() for r in ready):
            assert time.monotonic() < deadline, "the workers never got ready"
            if any(p.poll() is not None for p in procs):
                break  # one died while connecting: collect its error below
            time.sleep(0.01)
        start = time.monotonic()
        go.touch()
        for i, proc in enumerate(procs):
            if i == len(commands):  # the first group has exited: release the others
                until.touch()
            outputs.append(proc.communicate(timeout=TIMEOUT))
        elapsed = time.monotonic() - start
    except subprocess.TimeoutExpired:
        pytest.fail(f"a worker ran longer than {TIMEOUT} s (deadlock or livelock?)")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    errors = [
        (i, p.returncode, err)
        for i, (p, (_out, err)) in enumerate(zip(procs, outputs))
        if p.returncode != 0 or err.strip()
    ]
    assert not errors, "worker errors:\n" + "\n".join(
        f"worker {i} (exit {rc}):\n{err}" for i, rc, err in errors
    )
    return [json.loads(out) for out, _err in outputs], elapsed
