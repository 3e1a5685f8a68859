#!/usr/bin/env bash
# The window fields tshark shows in the header tree, for every bundled sample:
#   frame number, "Window" (raw field), "Calculated window size",
#   "Window size scaling factor" (-1 unknown, -2 no window scaling used, empty on a SYN).
# For the bundled samples (samples/) and the shared corpus (../shared/corpus/tcp/).
# usage (from the repo root): tests/reference/window/make-window.sh
set -euo pipefail
export TZ=UTC LC_ALL=C LANG=C
TMP_DIR=$(mktemp -d)
trap 'rm -rf -- "$TMP_DIR"' EXIT
export WIRESHARK_CONFIG_DIR="$TMP_DIR"
mkdir -p tests/reference/window/corpus
for capture in samples/*.pcap samples/*.pcapng ../shared/corpus/tcp/*; do
    [ -e "$capture" ] || continue
    case $capture in
        samples/*) out="tests/reference/window/$(basename "$capture").tsv" ;;
        *) out="tests/reference/window/corpus/$(basename "$capture").tsv" ;;
    esac
    tshark -n -r "$capture" -Y tcp -T fields \
        -e frame.number -e tcp.window_size_value -e tcp.window_size \
        -e tcp.window_size_scalefactor >"$out"
done
