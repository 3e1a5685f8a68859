#!/usr/bin/env bash
# Feeds a 1,000,000-packet capture through standard input into a growing session, as
# `tcpdump -U -w - | tcp-ladder -` does, and prints packets/s and peak memory (see
# benches/live_stream.rs). Also times `cat F | tcp-ladder flows -` and `packets -`.
# Usage: benches/live_stream.sh [PACKETS] [CONNECTIONS]   (default 1000000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-1000000}
connections=${2:-10000}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
capture="$work/big.pcap"
cargo run --release --quiet --manifest-path samples/generator/Cargo.toml --bin make-big-capture -- \
  "$capture" --packets "$packets" --connections "$connections" >/dev/null
cat "$capture" > /dev/null
echo "growing session (what the app does with tcp-ladder -):"
cat "$capture" | cargo bench --quiet --bench live_stream
cargo build --release --quiet
for cmd in flows packets; do
  start=$(date +%s.%N)
  cat "$capture" | target/release/tcp-ladder "$cmd" - > /dev/null
  end=$(date +%s.%N)
  echo "cat F | tcp-ladder $cmd -: $(echo "$end - $start" | bc) s"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
