#!/usr/bin/env bash
# What tshark 4.0 says of every TCP frame's time and handshake role, for the time tests
# (tests/timeline.rs): time since the first frame of the capture (frame.time_relative,
# Wireshark's default time column), the stream, who sent it and its SYN/ACK/FIN/RST
# flags. The tests work out the capture point from these times on their own and compare.
#
# usage: make-timing.sh OUT_DIR CAPTURE...   (writes OUT_DIR/BASENAME.tsv)
set -euo pipefail
[ "$#" -ge 2 ] || { echo "usage: $0 OUT_DIR CAPTURE..." >&2; exit 2; }
out=$1; shift
mkdir -p -- "$out"
export TZ=UTC LC_ALL=C LANG=C
tmp=$(mktemp -d); trap 'rm -rf -- "$tmp"' EXIT
export WIRESHARK_CONFIG_DIR="$tmp"
for f in "$@"; do
    b=$(basename -- "$f")
    tshark -r "$f" -Y 'tcp && !icmp && !icmpv6' -T fields -E header=y \
        -e frame.number -e frame.time_relative -e tcp.stream \
        -e tcp.srcport -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack \
        -e tcp.flags.fin -e tcp.flags.reset -e tcp.len \
        > "$out/$b.tsv" 2>/dev/null || echo "$0: tshark failed on $f" >&2
done
