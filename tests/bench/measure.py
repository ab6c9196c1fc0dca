#!/usr/bin/env python3
"""measure.py [-n RUNS] [--warmup N] -- CMD...: runs CMD RUNS times (stdout to
/dev/null) and prints one JSON line: median/min/max wall ms, median CPU ms
(user + system, the command and the children it waited for) and peak RSS KiB
(per run, from wait4), plus the exit codes seen."""
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    ms = (time.perf_counter() - t0) * 1000.0
    cpu = (ru.ru_utime + ru.ru_stime) * 1000.0
    return ms, ru.ru_maxrss, os.waitstatus_to_exitcode(status), cpu


def main(argv):
    runs, warm = 7, 1
    while argv and argv[0] != "--":
        if argv[0] == "-n":
            runs = int(argv[1]); argv = argv[2:]
        elif argv[0] == "--warmup":
            warm = int(argv[1]); argv = argv[2:]
        else:
            sys.exit("usage: measure.py [-n RUNS] [--warmup N] -- CMD...")
    cmd = argv[1:]
    for _ in range(warm):
        run_once(cmd)
    res = [run_once(cmd) for _ in range(runs)]
    ms = [r[0] for r in res]
    rss = [r[1] for r in res]
    print(json.dumps({"runs": runs, "median_ms": round(statistics.median(ms), 2),
                      "min_ms": round(min(ms), 2), "max_ms": round(max(ms), 2),
                      "cpu_ms": round(statistics.median([r[3] for r in res]), 2),
                      "rss_kib": max(rss), "exit_codes": sorted(set(r[2] for r in res))}))


if __name__ == "__main__":
    main(sys.argv[1:])
