#!/usr/bin/env bash
# A fuzz campaign: runs HARNESS (as run.sh runs it: regression inputs first, then its
# -max_len, -timeout, ASAN_OPTIONS, corpus in .build/fuzz/corpus/HARNESS carried over)
# in pieces of PIECE seconds until TARGET executions are done or a crash, at a low CPU
# priority: nice 19, and its session's scheduling group at FUZZ_GROUP_NICE (19 unless
# set; 5 gives the fuzzers about a quarter of the machine against one busy build). Each piece is one line of .build/fuzz/campaign/HARNESS.tsv:
# time (UTC), load average, executions, seconds, corpus size, running total.
#   Tests/Fuzz/campaign.sh HARNESS [TARGET=10000000] [PIECE=300]
set -euo pipefail
# In braces: bash reads all of it before it starts, so editing the file does not
# change a run under way.
{
cd "$(dirname "$0")/../.."
h=$1; target=${2:-10000000}; piece=${3:-300}
mkdir -p .build/fuzz/campaign
tsv=.build/fuzz/campaign/$h.tsv
# With the kernel's autogroups, nice alone only orders the processes of one session.
echo "${FUZZ_GROUP_NICE:-19}" > /proc/self/autogroup 2>/dev/null || true
total=0
[ -f "$tsv" ] && total=$(awk -F'\t' 'END { print $6 + 0 }' "$tsv")
while [ "$total" -lt "$target" ]; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if ! line=$(FUZZ_HARNESSES=$h nice -n 19 Tests/Fuzz/run.sh "$piece"); then
        echo "$line"; echo "campaign: $h: crash after $total executions"; exit 1
    fi
    execs=$(sed -E 's/.*: ([0-9]+) executions in ([0-9]+) s.*/\1/' <<< "$line")
    secs=$(sed -E 's/.*: ([0-9]+) executions in ([0-9]+) s.*/\2/' <<< "$line")
    corpus=$(ls ".build/fuzz/corpus/$h" | wc -l)
    total=$((total + execs))
    printf '%s\t%s-%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$load" "$(cut -d' ' -f1 /proc/loadavg)" "$execs" "$secs" "$corpus" "$total" >> "$tsv"
done
echo "campaign: $h: $total executions, no crash"
}
