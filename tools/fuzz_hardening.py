"""The long hardening run: thousands of hostile inputs and SIGKILLs, counted.

    .venv/bin/python tools/fuzz_hardening.py                 # the documented run (~5 min)
    .venv/bin/python tools/fuzz_hardening.py --scenarios 200 --files 200 --wal 50 --kills 10

What it does, with the generators of tests/core/fuzz_cases.py (the test suite runs a
few hundred of the same cases through Hypothesis on every run):

1. scenarios: mutated scenario documents evaluated in-process, damaged scenario files
   read and evaluated, and every 20th file through ``aisite evaluate --json`` in a child
   process (exit 0, or exit 2 with one line on stderr).
2. files: damaged copies of a real project (byte flips, zeroed or random pages, cuts,
   header fields, swapped pages) opened read-only and for editing.
3. wal: a project whose committed edits are still in its write-ahead log, with the log
   damaged; every open must report the damage or open intact, changing no byte.
4. kills: a writer making edits and checkpoints is SIGKILLed at random moments (half of
   them while a checkpoint runs); every edit it reported committed must be there.

It prints counts and exits 1 if any case gave a traceback, a hang (a case over
``--timeout`` seconds), a changed byte or a lost edit. POSIX only (SIGKILL, alarms).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.core import fuzz_cases  # noqa: E402


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang()


class Tally:
    def __init__(self, name: str):
        self.name = name
        self.outcomes: collections.Counter = collections.Counter()
        self.failures: list[str] = []
        self.start = time.perf_counter()

    def run(self, label: str, case, timeout: float) -> None:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            self.outcomes[case()] += 1
        except Hang:
            self.outcomes["HANG"] += 1
            self.failures.append(f"{label}: hang (over {timeout} s)")
        except AssertionError as error:
            self.outcomes["FAILED"] += 1
            self.failures.append(f"{label}: {str(error)[:300]}")
        except Exception:  # noqa: BLE001 - a traceback is what this run looks for
            self.outcomes["TRACEBACK"] += 1
            self.failures.append(f"{label}: {traceback.format_exc(limit=4)[-600:]}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def report(self) -> str:
        total = sum(v for k, v in self.outcomes.items() if not k.startswith("("))
        bits = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return f"{self.name}: {total} cases in {time.perf_counter() - self.start:.0f} s ({bits})"


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# ---------------------------------------------------------------- 1. scenarios

def run_scenarios(n: int, seed: int, work: Path, timeout: float) -> Tally:
    from aisite.core.errors import InputError
    from aisite.core.scenario import read_scenario_file

    tally = Tally("scenarios")
    for i in range(n):
        rnd = random.Random(f"{seed}-scenario-{i}")
        if i % 2 == 0:
            tally.run(f"scenario {i}", lambda: fuzz_cases.check_evaluation(fuzz_cases.mutate_scenario(rnd)), timeout)
            continue
        path = work / f"s{i}.json"
        path.write_bytes(fuzz_cases.scenario_text(rnd))

        def case(path=path, i=i):
            if i % 20 == 1:
                run = subprocess.run([sys.executable, "-m", "aisite.app.cli", "evaluate", str(path), "--json"], cwd=ROOT,
                                     env=child_env(), capture_output=True, timeout=timeout)
                err = run.stderr.decode("utf-8", "replace")
                assert run.returncode in (0, 2) and "Traceback" not in err, err[-400:]
                if run.returncode == 2:
                    assert err.count("\n") == 1, err
                else:
                    json.loads(run.stdout)
                return f"cli exit {run.returncode}"
            try:
                doc = read_scenario_file(path)
            except InputError as error:
                assert "\n" not in str(error).strip()
                return "file refused"
            return "file " + fuzz_cases.check_evaluation(doc)

        tally.run(f"scenario file {i}", case, timeout)
        path.unlink()
    return tally


# ---------------------------------------------------------------- 2. project files

def run_files(n: int, seed: int, work: Path, timeout: float) -> Tally:
    reference = fuzz_cases.build_reference_project(work).read_bytes()
    tally = Tally("damaged project files")
    for i in range(n):
        rnd = random.Random(f"{seed}-file-{i}")
        folder = work / f"f{i}"
        folder.mkdir()
        path = folder / "p.aisite"
        path.write_bytes(fuzz_cases.damage_bytes(rnd, reference))
        tally.run(f"file {i}", lambda path=path: fuzz_cases.check_damaged_project(path), timeout)
        shutil.rmtree(folder, ignore_errors=True)
    return tally


# ---------------------------------------------------------------- 3. damaged logs

WRITE_AND_DIE = textwrap.dedent("""
    import os, sys
    from aisite.core.project import open_project
    from aisite.core.project.edits import AddCatalogueEntry
    p = open_project(sys.argv[1])
    for i in range(int(sys.argv[2])):
        p.do(AddCatalogueEntry("chips", {"id": f"c{i}", "name": "n" * (i * 37 % 3000), "tdp_w": 700 + i}))
    os._exit(0)
""")


def run_wal(n: int, seed: int, work: Path, timeout: float, edits: int = 40) -> Tally:
    import warnings

    from aisite.core.errors import ProjectFileError, ProjectFileWarning
    from aisite.core.project import create_project, open_project

    source = work / "logged.aisite"
    create_project(source).close()
    subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(source), str(edits)], cwd=ROOT, env=child_env(),
                   check=True, timeout=120)
    wal_bytes = Path(str(source) + "-wal").read_bytes()
    tally = Tally("damaged write-ahead logs")
    for i in range(n):
        rnd = random.Random(f"{seed}-wal-{i}")
        folder = work / f"w{i}"
        folder.mkdir()
        path = folder / "p.aisite"
        shutil.copyfile(source, path)
        damaged = bytearray(wal_bytes)
        for _ in range(rnd.randint(1, 4)):
            damaged[rnd.randrange(32 if rnd.random() < 0.9 else 0, len(damaged))] ^= 1 << rnd.randrange(8)
        Path(str(path) + "-wal").write_bytes(bytes(damaged))

        def case(path=path):
            before = fuzz_cases.sha256(path), fuzz_cases.sha256(str(path) + "-wal")
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always", ProjectFileWarning)
                try:
                    with open_project(path, read_only=True) as p:
                        shown = len(p.catalogue_entries())
                        damage = p.wal_damage
                except ProjectFileError as error:
                    assert "\n" not in str(error)
                    return "refused"
            assert (fuzz_cases.sha256(path), fuzz_cases.sha256(str(path) + "-wal")) == before, "bytes changed"
            if damage is None:
                assert shown == edits, f"{edits - shown} edits silently dropped"
                return "intact"
            assert shown + damage.lost_commits >= edits, (shown, damage)
            assert Path(damage.kept_as).read_bytes() == bytes(damaged_of(path)), "damaged log not kept"
            return "damage reported"

        tally.run(f"wal {i}", case, timeout)
        shutil.rmtree(folder, ignore_errors=True)
    return tally


def damaged_of(path: Path) -> bytes:
    return Path(str(path) + "-wal").read_bytes()


# ---------------------------------------------------------------- 4. SIGKILLs

WRITER = textwrap.dedent("""
    import json, sys
    from aisite.core.project import open_project
    from aisite.core.project.edits import AddScenario, SetField
    doc = json.loads(sys.argv[2])
    p = open_project(sys.argv[1])
    for i in range(100000):
        if i % 2 == 0:
            p.do(AddScenario(dict(doc, name=f"s{i}", description="x" * (i * 131 % 6000))))
        else:
            p.do(SetField(p, f"s{i - 1}", "power[0].mw", i))
        print(i, flush=True)
        if i % 9 == 8:
            print("checkpoint", flush=True)
            p.checkpoint()
""")


def run_kills(n: int, seed: int, work: Path, timeout: float) -> Tally:
    from aisite.core.project import create_project, open_project
    from aisite.core.project.edits import SetField

    doc = json.loads(fuzz_cases.SAMPLES[0].read_text(encoding="utf-8"))
    tally = Tally("SIGKILLs during edits and checkpoints")
    totals = collections.Counter()
    for i in range(n):
        rnd = random.Random(f"{seed}-kill-{i}")
        path = work / f"k{i}.aisite"
        create_project(path).close()

        def case(path=path, rnd=rnd):
            during_checkpoint = rnd.random() < 0.5
            kill_after = rnd.randint(3, 80)
            child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), json.dumps(doc)], cwd=ROOT,
                                     env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            last = -1
            try:
                while True:
                    line = child.stdout.readline()
                    assert line, child.stderr.read()[-500:]
                    if line.strip() == "checkpoint":
                        if during_checkpoint and last >= kill_after:
                            time.sleep(rnd.random() * 0.01)
                            break
                        continue
                    last = int(line)
                    if not during_checkpoint and last >= kill_after:
                        time.sleep(rnd.random() * 0.01)
                        break
                os.kill(child.pid, signal.SIGKILL)
            finally:
                child.wait(timeout=30)
                child.stdout.close()
                child.stderr.close()
            totals["edits"] += last + 1
            with open_project(path) as p:
                names = set(p.scenario_names())
                for k in range(0, last + 1, 2):
                    assert f"s{k}" in names, f"lost edit {k} of {last}"
                    if k + 1 <= last:
                        assert p.effective_scenario(f"s{k}")["power"][0]["mw"] == k + 1, f"lost edit {k + 1}"
                p.do(SetField(p, "s0", "power[0].mw", 1))
            return "checkpoint kill, nothing lost" if during_checkpoint else "edit kill, nothing lost"

        tally.run(f"kill {i}", case, timeout * 6)
        for suffix in ("", "-wal", "-shm", ".lock"):
            try:
                os.unlink(str(path) + suffix)
            except OSError:
                pass
    tally.outcomes["(edits committed before the kills)"] = totals["edits"]
    return tally


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--wal", type=int, default=200)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a case counts as a hang")
    args = parser.parse_args(argv)
    if os.name != "posix":
        print("POSIX only (SIGKILL, alarms)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="aisite-fuzz-"))
    try:
        tallies = []
        for name, fn, n in (("scenarios", run_scenarios, args.scenarios), ("files", run_files, args.files),
                            ("wal", run_wal, args.wal), ("kills", run_kills, args.kills)):
            if n:
                sub = work / name
                sub.mkdir()
                tally = fn(n, args.seed, sub, args.timeout)
                tallies.append(tally)
                print(tally.report(), flush=True)
        failures = [f for t in tallies for f in t.failures]
        for failure in failures[:20]:
            print("FAILURE", failure)
        bad = sum(t.outcomes[k] for t in tallies for k in ("TRACEBACK", "HANG", "FAILED"))
        print(f"total: {bad} tracebacks, hangs or failed checks")
        return 1 if bad else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
