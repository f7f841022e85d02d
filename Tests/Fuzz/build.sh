#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Tests/Fuzz/Harnesses) with -sanitize=fuzzer,address into
# .build/fuzz, and their seed corpora from Fixtures, Maps and docs. Each library module
# is compiled once (whole-module, instrumented) and linked into every harness that needs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=.build/fuzz
SWIFTC=${SWIFTC:-swiftc}
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)
mkdir -p "$OUT/modules" "$OUT/bin"

# The C header the routing module imports.
mkdir -p "$OUT/CPrefetch"
printf 'module CPrefetch {\n  header "%s/Sources/CPrefetch/include/wr_prefetch.h"\n  export *\n}\n' "$ROOT" > "$OUT/CPrefetch/module.modulemap"

module() {  # module NAME [FLAG...]: Sources/NAME as one instrumented object and its .swiftmodule
    local name=$1; shift
    local files
    files=$(find "Sources/$name" -name '*.swift' | sort)
    if [ -f "$OUT/modules/$name.o" ] && [ -z "$(find "Sources/$name" -name '*.swift' -newer "$OUT/modules/$name.o")" ]; then
        return
    fi
    echo "fuzz: compiling $name"
    # shellcheck disable=SC2086
    "$SWIFTC" "${FLAGS[@]}" -wmo -c -module-name "$name" -I "$OUT/modules" -I "$OUT/CPrefetch" \
        -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" "$@" $files -o "$OUT/modules/$name.o"
}

harness() {  # harness NAME MODULE...: Tests/Fuzz/Harnesses/NAME.swift linked with the modules' objects
    local name=$1; shift
    local objects=()
    for m in "$@"; do objects+=("$OUT/modules/$m.o"); done
    if [ -x "$OUT/bin/$name" ] && [ "$OUT/bin/$name" -nt "Tests/Fuzz/Harnesses/$name.swift" ]; then
        local stale=0
        for o in "${objects[@]}"; do [ "$o" -nt "$OUT/bin/$name" ] && stale=1; done
        [ $stale = 0 ] && return
    fi
    echo "fuzz: linking $name"
    "$SWIFTC" "${FLAGS[@]}" -module-name "$name" -I "$OUT/modules" -I "$OUT/CPrefetch" \
        "Tests/Fuzz/Harnesses/$name.swift" "${objects[@]}" -o "$OUT/bin/$name" 2> >(grep -v "Cannot export local symbol" >&2)
}

module WatchroomCore
module WatchroomMapFormat
# -enable-testing: FuzzOSMReader drives the reader itself (internal), without the builder.
module WatchroomOSM -enable-testing
module WatchroomRouting
module WatchroomEngine
module WatchroomProtocol
module WatchroomFeeds
harness FuzzMapParser WatchroomCore WatchroomMapFormat
harness FuzzOSMReader WatchroomCore WatchroomMapFormat WatchroomOSM
harness FuzzOSMImport WatchroomCore WatchroomMapFormat WatchroomOSM
harness FuzzShiftLine WatchroomCore
harness FuzzCommandParser WatchroomCore WatchroomRouting WatchroomEngine
harness FuzzFrameReader WatchroomCore WatchroomRouting WatchroomEngine WatchroomProtocol
harness FuzzPositionReport WatchroomCore WatchroomFeeds
harness FuzzRoster WatchroomCore WatchroomFeeds
harness FuzzCallRecord WatchroomCore WatchroomMapFormat WatchroomFeeds

# Seed corpora, rebuilt each time (small).
SEEDS=$OUT/seeds
rm -rf "$SEEDS"; mkdir -p "$SEEDS"/{FuzzMapParser,FuzzOSMReader,FuzzOSMImport,FuzzShiftLine,FuzzCommandParser,FuzzFrameReader,FuzzPositionReport,FuzzRoster,FuzzCallRecord}
cp Maps/*.wrmap "$SEEDS/FuzzMapParser/"
# Small valid maps (Tests/Fuzz/seeds): every record type in a few hundred bytes.
cp Tests/Fuzz/seeds/FuzzMapParser/* "$SEEDS/FuzzMapParser/"
# Every map of the map-format tests' fixtures that lives in files, if any.
find Tests -name '*.wrmap' -exec cp {} "$SEEDS/FuzzMapParser/" \; 2>/dev/null || true
cp Fixtures/osm/*.osm "$SEEDS/FuzzOSMReader/"
cp Fixtures/osm/*.osm "$SEEDS/FuzzOSMImport/"
# Shift lines: whole JSON lines, and TYPE<TAB>DATA rows, a few of every type.
for f in Fixtures/shifts/*.jsonl; do
    awk -v dir="$SEEDS/FuzzShiftLine" -v base="$(basename "$f" .jsonl)" '
        match($0, /"type":"[^"]*"/) {
            type = substr($0, RSTART + 8, RLENGTH - 9)
            if (seen[type]++ >= 3) next
            n++
            printf "%s\n", $0 > (dir "/" base "-line-" n)
            d = index($0, "\"data\":")
            printf "%s\t%s", type, substr($0, d + 7, length($0) - d - 7) > (dir "/" base "-row-" n)
        }' "$f"
done
# Commands: every line of the code blocks in docs/commands.md.
awk -v dir="$SEEDS/FuzzCommandParser" '/^```/ { block = !block; next } block && NF { n++; printf "%s", $0 > (dir "/doc-" n) }' docs/commands.md
# Frames: the examples of docs/protocol.md (a JSON message per line), each framed, after a
# byte that sets how the stream is cut.
n=0
while IFS= read -r line; do
    n=$((n + 1))
    len=$(( $(printf '%s' "$line" | wc -c) + 1 ))
    hex() { printf '\\x%02x' "$1"; }
    # shellcheck disable=SC2059
    printf "$(hex $((n % 17)))$(hex $((len >> 24 & 255)))$(hex $((len >> 16 & 255)))$(hex $((len >> 8 & 255)))$(hex $((len & 255)))\\x01" \
        > "$SEEDS/FuzzFrameReader/doc-$n"
    printf '%s' "$line" >> "$SEEDS/FuzzFrameReader/doc-$n"
done < <(grep -E '^[[:space:]]*[{].*[}][[:space:]]*$' docs/protocol.md | sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//')
# Feeds: every line of docs/feeds.md's code blocks (position bodies, queries, call records),
# each block whole (the roster), and the query of the OsmAnd example.
awk -v dir="$SEEDS" '/^```/ { block = !block; if (!block && body != "") { b++; printf "%s", body > (dir "/FuzzRoster/doc-" b); printf "%s", body > (dir "/FuzzPositionReport/doc-block-" b); printf "%s", body > (dir "/FuzzCallRecord/doc-block-" b) } body = ""; next }
    block && NF { n++; line = $0; sub(/^GET \/\?/, "", line); printf "%s", line > (dir "/FuzzPositionReport/doc-" n); printf "%s", $0 > (dir "/FuzzCallRecord/doc-" n); body = body $0 "\n" }' docs/feeds.md
echo "fuzz: harnesses in $OUT/bin, seeds in $SEEDS"
