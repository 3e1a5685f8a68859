#!/usr/bin/env bash
# Peak memory of `tcp-ladder flows` as the number of connections grows (issue #14: under
# 64 MiB whatever the file size). Generates captures with `make-big-capture` (about 7
# packets a connection) and prints each run's time and GNU time's peak resident memory.
# Usage:
#   benches/flows_memory.sh [CONNECTIONS...]      (default 10000 300000 1000000 3000000)
# Needs: GNU time (apt-get install time), and about 750 bytes of disk per connection.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000 300000 1000000 3000000)
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"

cargo build --release --quiet
printf '%12s %12s %10s %12s\n' connections packets time "peak memory"
for connections in "${counts[@]}"; do
  capture="$work/flows-$connections.pcap"
  packets=$((connections * 7))
  cargo run --release --quiet --manifest-path samples/generator/Cargo.toml --bin make-big-capture -- \
    "$capture" --packets "$packets" --connections "$connections" >/dev/null
  cat "$capture" > /dev/null
  /usr/bin/time -f "%e %M" -o "$work/time.txt" target/release/tcp-ladder flows "$capture" > /dev/null
  read -r secs kib < "$work/time.txt"
  printf '%12d %12d %8.2f s %8d MiB\n' "$connections" "$packets" "$secs" $((kib / 1024))
  rm -f "$capture"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
