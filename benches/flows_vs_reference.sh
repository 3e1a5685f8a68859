#!/usr/bin/env bash
# Times `tcp-ladder flows` on a large generated capture against the reference tools
# (`tshark -q -z conv,tcp` and `tcpdump -n -r F > /dev/null`), with peak memory
# (GNU time's maximum resident set size). Usage:
#   benches/flows_vs_reference.sh [PACKETS] [CONNECTIONS]      (default 1000000 10000)
# Needs: tshark, tcpdump, GNU time (apt-get install tshark tcpdump time).
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-1000000}
connections=${2:-10000}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
capture="$work/big.pcap"

cargo build --release --quiet
cargo run --release --quiet --manifest-path samples/generator/Cargo.toml --bin make-big-capture -- \
  "$capture" --packets "$packets" --connections "$connections" >/dev/null
size=$(stat -c %s "$capture")
echo "capture: $capture, $packets packets, $connections connections, $((size / 1024 / 1024)) MiB"
# Warm the page cache so every tool reads from memory.
cat "$capture" > /dev/null

measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" || true
  read -r secs kib < "$work/time.txt"
  printf '%-36s %8.2f s %10d MiB\n' "$name" "$secs" $((kib / 1024))
}

printf '%-36s %10s %14s\n' tool time "peak memory"
measure "tcp-ladder flows" target/release/tcp-ladder flows "$capture"
measure "tcp-ladder packets (tcpdump lines)" target/release/tcp-ladder packets "$capture"
measure "tcp-ladder packets --format tsv" target/release/tcp-ladder packets "$capture" --format tsv
measure "tcpdump -n -r F" tcpdump -n -r "$capture"
measure "tshark -r F -q -z conv,tcp" tshark -n -r "$capture" -q -z conv,tcp
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
