#!/usr/bin/env bash
# Bytes written to the terminal per second in the steady demo, Watchroom beside htop,
# at the same sizes, in the same run. Each program runs under `script` in its own
# pseudo-terminal of the given size; `script -T` records when each byte was written, so
# the first WARM seconds (the first full frame) are left out of the steady rate.
#
#   Benchmarks/wire-bytes.sh [path/to/watchroom]      (release build recommended)
# Env: DUR (seconds per run, default 30), WARM (default 5), SIZES (default "80x24 160x48").
set -euo pipefail
BIN=${1:-.build/release/watchroom}
DUR=${DUR:-30}
WARM=${WARM:-5}
SIZES=${SIZES:-"80x24 160x48"}
MAP=${MAP:-Maps/jiangbei-city.wrmap}
command -v htop >/dev/null || { echo "htop is not installed (apt-get install htop)" >&2; exit 1; }
command -v script >/dev/null || { echo "script (util-linux) is not installed" >&2; exit 1; }

run() { # label cols rows command...
  local label=$1 cols=$2 rows=$3; shift 3
  local dir; dir=$(mktemp -d)
  script -q -T "$dir/timing" -c "stty cols $cols rows $rows; export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8; timeout -s TERM $DUR $*" "$dir/out" </dev/null >/dev/null 2>&1 || true
  awk -v warm="$WARM" -v dur="$DUR" -v label="$label" -v size="${cols}x${rows}" '
    { t += $1; if (t <= warm) first += $2; else steady += $2; total += $2 }
    END { printf "%-10s %-8s first %6d B   steady %8.1f B/s   total %7d B in %d s\n", label, size, first, steady / (dur - warm), total, dur }' "$dir/timing"
  rm -rf "$dir"
}

for size in $SIZES; do
  cols=${size%x*}; rows=${size#*x}
  run watchroom "$cols" "$rows" "$BIN" --map "$MAP" --seed 1 --cars 16 --foot 14 --log /dev/null
  run htop "$cols" "$rows" htop
done
