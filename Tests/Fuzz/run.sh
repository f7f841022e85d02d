#!/usr/bin/env bash
# Runs every harness (or those named in $FUZZ_HARNESSES) for SECONDS each: first each
# regression input under Tests/FuzzRegressions/HARNESS once, then fuzzing from the seeds
# and the corpus kept in .build/fuzz/corpus/HARNESS. A crash fails the run and leaves
# its input in .build/fuzz/crashes/HARNESS (add it under Tests/FuzzRegressions).
# Prints one line per harness: executions, seconds, corpus size.
set -euo pipefail
# In braces, ending in exit: bash reads all of it before it starts and nothing after,
# so editing the file does not change a run under way.
{
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-20}
OUT=.build/fuzz
HARNESSES=${FUZZ_HARNESSES:-FuzzMapParser FuzzOSMReader FuzzOSMImport FuzzShiftLine FuzzCommandParser FuzzFrameReader FuzzPositionReport FuzzRoster FuzzCallRecord}
# The longest input tried: the time of an execution grows with its input. Room for a
# recorded line (the longest real one 2.8 KB), a command line, a frame; for maps and OSM
# XML, room for every kind of record and element with their attributes (the small seeds
# in Tests/Fuzz/seeds, the 2.9 KB ring road), not for a whole real map: a longer input
# repeats records the parser reads the same way, and each execution would take 10 times
# as long (docs/reliability.md).
declare -A MAXLEN=([FuzzMapParser]=2048 [FuzzOSMReader]=4096 [FuzzOSMImport]=4096 [FuzzShiftLine]=4096 [FuzzCommandParser]=512 [FuzzFrameReader]=8192
                   [FuzzPositionReport]=2048 [FuzzRoster]=2048 [FuzzCallRecord]=1024)
# The feed readers' inputs are small and their harnesses fast: half the budget each; the
# OSM reader and the whole import share one budget (the whole fuzz stage of make test
# stays near 2 minutes of fuzzing).
declare -A SHARE=([FuzzPositionReport]=50 [FuzzRoster]=50 [FuzzCallRecord]=50 [FuzzOSMReader]=50 [FuzzOSMImport]=50)
# AddressSanitizer finds the same errors with a 16 MB quarantine (freed memory kept
# poisoned before reuse; 256 MB by default, which touches fresh pages on every input) and
# 3 frames of allocation stack in a report (30 by default; unwinding on every malloc was a
# third of the time). Replay a crash input with ASAN_OPTIONS= for the full stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS-quarantine_size_mb=16:malloc_context_size=3}
# A trap's stack comes from libFuzzer. Swift's own backtracer, reading the crashed
# process's memory, trips AddressSanitizer (a stack-buffer-underflow in memserver_read
# reported under the real error) and is left behind, asleep, after the harness exits.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE-enable=no}
status=0
for h in $HARNESSES; do
    bin=$OUT/bin/$h
    corpus=$OUT/corpus/$h
    crashes=$OUT/crashes/$h
    mkdir -p "$corpus" "$crashes"
    regressions=(Tests/FuzzRegressions/$h/*)
    if [ -e "${regressions[0]}" ]; then
        if ! "$bin" -runs=1 "${regressions[@]}" > "$OUT/$h.regressions.log" 2>&1; then
            echo "fuzz: $h: a regression input crashes again (see $OUT/$h.regressions.log)"; status=1; continue
        fi
    fi
    log=$OUT/$h.log
    seconds=$(( SECONDS_EACH * ${SHARE[$h]:-100} / 100 ))
    [ "$seconds" -ge 1 ] || seconds=1
    if "$bin" -max_total_time="$seconds" -max_len="${MAXLEN[$h]}" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$OUT/seeds/$h" > "$log" 2>&1; then
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        echo "fuzz: $h: $execs executions in ${seconds} s, no crash; corpus $(ls "$corpus" | wc -l) inputs"
    else
        echo "fuzz: $h: CRASH (input in $crashes, log $log):"
        grep -m 5 -E "Fatal error|ERROR: |SUMMARY" "$log" || tail -20 "$log"
        status=1
    fi
done
exit $status
}
