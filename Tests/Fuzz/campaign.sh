#!/usr/bin/env bash
# A fuzz campaign: runs HARNESS (as run.sh runs it: regression inputs first, then its
# -max_len, -timeout, ASAN_OPTIONS, corpus in .build/fuzz/corpus/HARNESS carried over)
# in pieces of PIECE seconds until TARGET executions are done or a crash, at a low CPU
# priority: nice 19, and its session's scheduling group at FUZZ_GROUP_NICE (19 unless
# set; 5 gives a campaign about a quarter of the machine against one busy build). Each
# piece is one line of .build/fuzz/campaign/HARNESS.tsv: time (UTC), load average at its
# start and end, executions, seconds, corpus size, running total, CPU seconds.
#   Tests/Fuzz/campaign.sh HARNESS [TARGET=10000000] [PIECE=300]
set -euo pipefail
# In braces, ending in exit: bash reads all of it before it starts and nothing after,
# so editing the file does not change a run under way.
{
# With the kernel's autogroups, nice alone only orders the processes of one session; the
# campaign runs in a session of its own so that its group's priority is its own.
[ "$(ps -o sid= -p $$ | tr -d ' ')" = "$$" ] || exec setsid -w "$0" "$@"
cd "$(dirname "$0")/../.."
h=$1; target=${2:-10000000}; piece=${3:-300}
mkdir -p .build/fuzz/campaign
tsv=.build/fuzz/campaign/$h.tsv
echo "${FUZZ_GROUP_NICE:-19}" > /proc/self/autogroup 2>/dev/null || true
total=0
[ -f "$tsv" ] && total=$(awk -F'\t' 'END { print $6 + 0 }' "$tsv")
while [ "$total" -lt "$target" ]; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    cpu0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
    if ! line=$(FUZZ_HARNESSES=$h nice -n 19 Tests/Fuzz/run.sh "$piece"); then
        echo "$line"; echo "campaign: $h: crash after $total executions"; exit 1
    fi
    # CPU seconds of the piece (the harness and run.sh, from this shell's waited-for children).
    cpu=$(awk -v c0="$cpu0" -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15 + $16 + $17 - c0) / hz }' /proc/$$/stat)
    execs=$(sed -E 's/.*: ([0-9]+) executions in ([0-9]+) s.*/\1/' <<< "$line")
    secs=$(sed -E 's/.*: ([0-9]+) executions in ([0-9]+) s.*/\2/' <<< "$line")
    corpus=$(ls ".build/fuzz/corpus/$h" | wc -l)
    total=$((total + execs))
    printf '%s\t%s-%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$load" "$(cut -d' ' -f1 /proc/loadavg)" "$execs" "$secs" "$corpus" "$total" "$cpu" >> "$tsv"
done
echo "campaign: $h: $total executions, no crash"
exit 0
}
