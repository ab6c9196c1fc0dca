#!/usr/bin/env bash
# timed.sh NAME COMMAND...: runs COMMAND, then says how long it took
# ("check: NAME: 42 s"), keeping its exit status.  make check times each part
# with it, so that what a run costs is in its log.
name=$1
shift
t0=$(date +%s)
"$@"
rc=$?
echo "check: $name: $(($(date +%s) - t0)) s$([ $rc -eq 0 ] || echo ", FAILED (exit $rc)")"
exit $rc
