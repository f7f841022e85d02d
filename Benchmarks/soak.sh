#!/usr/bin/env bash
# make soak: the live console on the busy profile at 60x for 24 simulated hours, in tmux,
# with random window resizes and key presses (panels, lists, zoom, dispatch, reinforce,
# overlays), recording its shift file. Resident memory is sampled every 10 s; at the end
# the console is quit and the shift file verified (`watchroom shift verify`).
# Passes when the console ran to the end, quit cleanly, the file verifies, and resident
# memory grew by no more than 10% after the first simulated hour.
#
#   SOAK_HOURS (24), SOAK_SPEED (60), SOAK_SEED (7), SOAK_DIR (.build/soak), WATCHROOM (binary)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${WATCHROOM:-.build/release/watchroom}
HOURS=${SOAK_HOURS:-24}
SPEED=${SOAK_SPEED:-60}
SEED=${SOAK_SEED:-7}
OUT=${SOAK_DIR:-.build/soak}
command -v tmux >/dev/null || { echo "soak: tmux is needed (make deps installs it)"; exit 1; }
[ -x "$BIN" ] || { echo "soak: $BIN not built (make release)"; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
rm -rf "$OUT"; mkdir -p -m 700 "$OUT"
OUT=$(cd "$OUT" && pwd)
SOCK="watchroom-soak-$$"
T="tmux -L $SOCK"
cleanup() { $T kill-server 2>/dev/null || true; }
trap cleanup EXIT

$T -f /dev/null new-session -d -s soak -x 120 -y 40 \
    "exec env TERM=xterm-256color XDG_DATA_HOME=$OUT/data XDG_STATE_HOME=$OUT/state $BIN --profile busy --speed $SPEED --seed $SEED --shift $OUT/soak.shift --log $OUT/watchroom.log --records-db $OUT/records.sqlite --no-bell"
$T set-option -t soak remain-on-exit on >/dev/null
sleep 2
PID=$($T list-panes -t soak -F '#{pane_pid}')
REAL=$(awk -v h="$HOURS" -v s="$SPEED" 'BEGIN { printf "%d", h * 3600 / s }')
FIRST_HOUR=$(awk -v s="$SPEED" 'BEGIN { printf "%d", 3600 / s }')
echo "soak: pid $PID, $HOURS simulated hours at ${SPEED}x = $REAL s; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "real_s,simulated_h,rss_kb,anon_kb,file_kb" > "$OUT/rss.csv"
KEYS=(Tab BTab Down Down Up PageDown Home End + - 0 c Enter Escape d r v b Escape s Escape '?' Escape L L Space Escape)
RANDOM=$SEED
start=$(date +%s)
resizes=0; presses=0
while :; do
    now=$(( $(date +%s) - start ))
    [ "$now" -ge "$REAL" ] && break
    if ! kill -0 "$PID" 2>/dev/null; then echo "soak: the console exited early at ${now} s"; $T capture-pane -p -t soak | tail -5; exit 1; fi
    # Resident memory, and its parts: anonymous (the heap, stacks) and mapped files (code, data).
    rss=$(awk '/^(VmRSS|RssAnon|RssFile)/ { printf "%s%s", sep, $2; sep = "," }' "/proc/$PID/status")
    echo "$now,$(awk -v t="$now" -v s="$SPEED" 'BEGIN { printf "%.2f", t * s / 3600 }'),$rss" >> "$OUT/rss.csv"
    for _ in 1 2 3 4 5; do
        if [ $((RANDOM % 4)) = 0 ]; then
            $T resize-window -t soak -x $((80 + RANDOM % 141)) -y $((24 + RANDOM % 37)) 2>/dev/null || true
            resizes=$((resizes + 1))
        fi
        $T send-keys -t soak "${KEYS[$((RANDOM % ${#KEYS[@]}))]}"
        presses=$((presses + 1))
        sleep 2
    done
done
$T send-keys -t soak Escape Escape q
sleep 1
$T send-keys -t soak y
# Exited once the process is gone or a zombie: tmux may take its time to reap it (a
# zombie still answers `kill -0`, and tmux knows no exit status until it reaps).
# A zombie's status is in /proc/PID/stat (exit_code, the 52nd field, as waitpid gives it).
quit=$(date +%s)
stat() { sed 's/.*) //' "/proc/$PID/stat" 2>/dev/null || true; }
exited() { [ ! -e "/proc/$PID" ] || [ "$(stat | cut -d' ' -f1)" = Z ]; }
for _ in $(seq 1 60); do exited && break; sleep 1; done
if ! exited; then
    echo "soak: the console did not quit within 60 s; its threads are in $OUT/stacks.txt"
    command -v gdb >/dev/null && gdb -p "$PID" -batch -ex "thread apply all bt 30" > "$OUT/stacks.txt" 2>&1
    exit 1
fi
status=$(stat | awk '$1 == "Z" { print int($50 / 256) % 256 }')
for _ in $(seq 1 10); do
    [ -n "$status" ] && break
    status=$($T list-panes -t soak -F '#{pane_dead_status}' 2>/dev/null)
    [ -n "$status" ] || sleep 1
done
echo "soak: the console quit with status $status within $(( $(date +%s) - quit + 1 )) s, after $resizes resizes and $presses key presses"
"$BIN" shift verify "$OUT/soak.shift"
"$BIN" shift info "$OUT/soak.shift" | grep -E "^(events|incidents|duration|first event|last event)" || true
awk -F, -v first="$FIRST_HOUR" '
    NR == 1 { next }
    $1 >= first && base == "" { base = $3; anon = $4; file = $5 }
    { if ($3 > max) max = $3; last = $3; lastAnon = $4; lastFile = $5 }
    END {
        growth = (max - base) * 100 / base
        printf "soak: resident memory at the first simulated hour %.1f MB, largest after it %.1f MB, at the end %.1f MB: growth %.1f%% (limit 10%%)\n", base / 1024, max / 1024, last / 1024, growth
        printf "soak: of which anonymous %.1f MB then %.1f MB at the end, mapped files %.1f MB then %.1f MB\n", anon / 1024, lastAnon / 1024, file / 1024, lastFile / 1024
        exit growth > 10 ? 1 : 0
    }' "$OUT/rss.csv"
[ "$status" = 0 ] || { echo "soak: exit status $status"; exit 1; }
echo "soak: ok ($OUT/rss.csv, $OUT/soak.shift, $OUT/watchroom.log)"
