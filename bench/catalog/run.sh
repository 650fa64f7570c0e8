#!/usr/bin/env bash
# Catalog benchmark: load and filter a synthetic file-based catalog the size of the Red Hat
# operator index (1,000 packages, 20,000 bundles, about 150 MiB of JSON) with Planning's
# FileBasedCatalog and CatalogFilter, built in release.
#
# Usage:  bash bench/catalog/run.sh
#
# Steps: build bench/catalog (a SwiftPM package depending on the repository's Planning product)
# in release; generate the catalog into a fresh temporary directory (deleted at the end); then
# ROUNDS times, each in its own process timed by GNU time (`%e %M`: wall seconds, peak RSS):
#   load     read DIR/configs into a FileBasedCatalog
#   heads    read, then filter with no packages configured: every package, every channel, heads only
#   ranges   read, then filter 50 packages with minVersion/maxVersion (every 20th package; a quarter
#            on channel stable, the rest on the package), then write the filtered catalog
# Each process also prints its own phase times (load_s, filter_s, write_s) and the peak RSS after
# each phase (getrusage), so that the filter's share is visible apart from reading.
# The catalog was just written, so it is read from the page cache (warm).
#
# Environment:
#   ROUNDS=3            rounds
#   PACKAGES=1000 BUNDLES=20000 SEED=42   size and seed of the generated catalog
#   SCRATCH=bench/catalog/.build          build directory
#   KEEP=0              1: keep the generated catalog and outputs (the path is printed)
#
# Needs swift and GNU time (/usr/bin/time; `apt-get install -y time`).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/../.." && pwd)
SCRATCH=${SCRATCH:-$BENCH/.build}
ROUNDS=${ROUNDS:-3}
PACKAGES=${PACKAGES:-1000}
BUNDLES=${BUNDLES:-20000}
SEED=${SEED:-42}

[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 1; }

DATA=$(mktemp -d "${TMPDIR:-/tmp}/ferry-catalog-bench.XXXXXX")
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then echo "data kept in $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT

echo "== machine"
echo "nproc: $(nproc)  kernel: $(uname -r)  memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
echo "swift: $(swift --version 2>&1 | head -1)"
echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO" diff --quiet 2>/dev/null || echo ' (with local changes)')"

echo "== build (release)"
swift build -c release --package-path "$BENCH" --scratch-path "$SCRATCH" 2>&1 | tail -1
BIN=$(swift build -c release --package-path "$BENCH" --scratch-path "$SCRATCH" --show-bin-path)/catalog-bench

echo "== generate"
"$BIN" generate "$DATA" --packages "$PACKAGES" --bundles "$BUNDLES" --seed "$SEED"
echo "catalog: $(find "$DATA/configs" -type f | wc -l) files, $(du -sb "$DATA/configs" | cut -f1) bytes"

# timed LABEL ROUND ARGS…: runs catalog-bench ARGS under GNU time, prints one table row.
timed() {
    local label=$1 round=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$DATA/time" "$BIN" "$@" > "$DATA/out"
    local wall rss
    read -r wall rss < <(tail -1 "$DATA/time")
    printf '| %-6s | %d | %6s | %5d | %s |\n' "$label" "$round" "$wall" $((rss / 1024)) "$(cat "$DATA/out")"
}

echo "== runs"
echo "| case   | round | wall s | peak RSS MiB | catalog-bench figures |"
echo "| --- | --- | --- | --- | --- |"
for round in $(seq 1 "$ROUNDS"); do
    timed load "$round" load "$DATA"
    timed heads "$round" filter "$DATA" heads
    timed ranges "$round" filter "$DATA" ranges --write "$DATA/filtered-$round" --explain "$DATA/filter-explain-$round.txt"
done
