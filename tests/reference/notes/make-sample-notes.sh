#!/usr/bin/env bash
# Makes samples/NAME.tsv for every bundled sample that carries notes (pcapng packet
# comments written by samples/generator): what tshark reads back from each commented
# frame. Columns: frame number, tcp.stream (empty if the frame is not TCP), and every
# frame.comment of the frame joined by '|'. tests/sample_notes.rs checks that tcp-ladder
# reads exactly these, in both languages. Needs tshark; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
export WIRESHARK_CONFIG_DIR="$tmp"
rm -f samples/*.tsv
for capture in ../../../samples/*.pcapng; do
    name=$(basename "$capture" .pcapng)
    tshark -n -r "$capture" -Y frame.comment -T fields \
        -e frame.number -e tcp.stream -e frame.comment \
        -E separator=/t -E occurrence=a -E aggregator='|' >"$tmp/$name.tsv"
    # Samples without notes (two-interfaces.pcapng is about the file format) get no file.
    if [ -s "$tmp/$name.tsv" ]; then
        mv "$tmp/$name.tsv" "samples/$name.tsv"
    fi
done
