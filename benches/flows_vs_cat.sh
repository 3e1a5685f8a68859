#!/usr/bin/env bash
# `tcp-ladder flows F` against `cat F > /dev/null` (issue #14: at most 3x), from a warm
# page cache, the two run one after the other in each round so that both see the same
# moment of a noisy machine. Prints each one's median and the median and worst of the
# per-round ratios. Usage:
#   benches/flows_vs_cat.sh [ROUNDS] [CAPTURE]   (default 20 rounds, the benchmark capture:
#                                                 1,000,000 packets, 10,000 connections)
# Extra builds to compare: FLOWS_BINARIES="path1 path2" (default target/release/tcp-ladder).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
capture=${2:-}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet
if [ -z "$capture" ]; then
  capture="$work/big.pcap"
  [ -f "$capture" ] || cargo run --release --quiet --manifest-path samples/generator/Cargo.toml \
    --bin make-big-capture -- "$capture" --packets 1000000 --connections 10000 >/dev/null
fi
read -r -a binaries <<< "${FLOWS_BINARIES:-target/release/tcp-ladder}"
cat "$capture" > /dev/null

millis() { # the wall time of one run of "$@", in milliseconds
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$work/cat.txt"
for b in "${!binaries[@]}"; do : > "$work/flows$b.txt"; : > "$work/ratio$b.txt"; done
for _ in $(seq "$rounds"); do
  c=$(millis cat "$capture")
  echo "$c" >> "$work/cat.txt"
  for b in "${!binaries[@]}"; do
    f=$(millis "${binaries[$b]}" flows "$capture")
    echo "$f" >> "$work/flows$b.txt"
    awk -v f="$f" -v c="$c" 'BEGIN { printf "%.2f\n", f / c }' >> "$work/ratio$b.txt"
  done
done
echo "capture: $capture ($((($(stat -c %s "$capture")) / 1024 / 1024)) MiB), $rounds rounds"
printf '%-44s %8s %14s %12s\n' command median "ratio median" "ratio worst"
printf '%-44s %5s ms\n' "cat F > /dev/null" "$(median < "$work/cat.txt")"
for b in "${!binaries[@]}"; do
  printf '%-44s %5s ms %14s %12s\n' "${binaries[$b]} flows F" "$(median < "$work/flows$b.txt")" \
    "$(median < "$work/ratio$b.txt")" "$(sort -n "$work/ratio$b.txt" | tail -1)"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
