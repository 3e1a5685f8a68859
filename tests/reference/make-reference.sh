#!/usr/bin/env bash
# Regenerate reference outputs of tcpdump and tshark for pcap/pcapng captures.
#
# usage: make-reference.sh OUT_DIR CAPTURE...
#
# For each CAPTURE with basename B this writes into OUT_DIR:
#   B.tcpdump          tcpdump -# -n  (relative seq/ack), TCP lines only, frame number prefix kept
#   B.tcpdump-S        tcpdump -# -n -S (absolute seq/ack), same lines
#   B.tshark.tsv       tshark -T fields table (one row per frame that has a TCP header
#                      not inside ICMP/ICMPv6), with a header row
#   B.tshark-conv.txt  tshark -q -z conv,tcp
#   B.stderr           diagnostics of the tools, only if there were any
# See README.md next to this script for the meaning of every file and column.
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 OUT_DIR CAPTURE..." >&2
    exit 2
fi

command -v tcpdump >/dev/null || { echo "$0: tcpdump not found" >&2; exit 1; }
command -v tshark >/dev/null || { echo "$0: tshark not found" >&2; exit 1; }

mkdir -p -- "$1"
OUT_DIR=$(cd -- "$1" && pwd)
shift

# Deterministic environment: UTC timestamps, C locale, and no personal
# Wireshark preferences (an empty private config directory => all defaults).
export TZ=UTC LC_ALL=C LANG=C
TMP_DIR=$(mktemp -d)
trap 'rm -rf -- "$TMP_DIR"' EXIT
mkdir -- "$TMP_DIR/wireshark-config"
export WIRESHARK_CONFIG_DIR="$TMP_DIR/wireshark-config"

# tcpdump prints the interface of a Linux cooked v2 (SLL2) packet by looking
# its ifindex up among the network interfaces of the machine running tcpdump
# (if_indextoname), so the same capture gives "ifb0  Out IP ..." on one host
# and "eth0  Out IP ..." on another.  Run tcpdump in a new, empty network
# namespace where only "lo" (ifindex 1) exists: every other ifindex prints as
# "?", the same on every Linux machine.
# (Not "unshare -rn": tcpdump run as uid 0 drops privileges to the "tcpdump"
# user, which fails inside a user namespace.  "unshare -Un" leaves the uid
# unmapped, so tcpdump does not try; it only warns "setgid/setuid failed".)
NETNS=()
if unshare -n true 2>/dev/null; then
    NETNS=(unshare -n)
elif unshare -Un true 2>/dev/null; then
    NETNS=(unshare -Un)
else
    echo "$0: warning: cannot create a network namespace (unshare -n);" \
        "SLL2 interface names in the tcpdump outputs will depend on this machine" >&2
fi

# A line printed by tcpdump's TCP printer (print-tcp.c), after the optional
# link-layer / tunnel / IPv6-extension-header prefix, is
# "<src>.<sport> > <dst>.<dport>: " (or just "<sport> > <dport>: " after IPv6
# extension headers such as "HBH" or "frag (0|48)") followed by
#   "Flags [..."                       normal TCP header
#   " tcp N [bad hdr length ..."       data offset < 5
#   " [|tcp]"                          header cut (snapshot length, IP length,
#                                      or a tiny first fragment)
# Also kept: "IP bad-len 0", what tcpdump prints instead of the TCP line for an
# IPv4 packet whose total length is 0 (TCP segmentation offload; tshark takes the
# length from the frame and dissects the TCP segment).
# Continuation lines of multi-line packets (VXLAN) are first joined to their
# packet's line (join_continuations), then only lines that start with the frame
# number are kept.  Non-first IP fragments ("IP a > b: ip-proto-6",
# "IP6 a > b: frag (48|36)") are NOT TCP lines for tcpdump and are not kept.
TCP_LINE_RE='^ *[0-9]+  (.*[0-9]+ > [^ ]*[0-9]+: (Flags \[| tcp [0-9]+ \[bad hdr length| \[\|tcp\])|.*IP bad-len 0$)'

TSHARK_FIELDS=(
    frame.number
    tcp.stream
    ip.src
    ipv6.src
    tcp.srcport
    tcp.dstport
    tcp.flags
    tcp.seq
    tcp.ack
    tcp.seq_raw
    tcp.ack_raw
    tcp.len
    tcp.window_size_value
    tcp.analysis.retransmission
    tcp.analysis.fast_retransmission
    tcp.analysis.spurious_retransmission
    tcp.analysis.out_of_order
    tcp.analysis.lost_segment
    tcp.analysis.ack_lost_segment
    tcp.analysis.duplicate_ack
    tcp.analysis.duplicate_ack_num
    tcp.analysis.duplicate_ack_frame
    tcp.analysis.zero_window
    tcp.analysis.zero_window_probe
    tcp.analysis.zero_window_probe_ack
    tcp.analysis.window_full
    tcp.analysis.window_update
    tcp.analysis.keep_alive
    tcp.analysis.keep_alive_ack
    tcp.analysis.reused_ports
    frame.protocols
)
TSHARK_E=()
for f in "${TSHARK_FIELDS[@]}"; do TSHARK_E+=(-e "$f"); done

# tcpdump prints some packets on two lines: VXLAN ends its header with a newline and
# the inner frame follows ("... VXLAN, flags [I] (0x08), vni 100" / "IP 10.1.0.10.43006 >
# ...").  Join every line that does not start with a frame number (from -#) to the
# packet before it, with the two characters \n in between, so that each packet is one
# line and its TCP part is kept.
join_continuations() {
    awk '/^ *[0-9]+  / { if (have) print buf; buf = $0; have = 1; next }
         { buf = buf "\\n" $0 }
         END { if (have) print buf }'
}

# Drop stderr lines that are not diagnostics about the capture:
# tcpdump's "reading from file ..., link-type ..." banner, tcpdump's
# "setgid/setuid failed" inside "unshare -Un", and tshark's "Running as user
# root" notice.
filter_stderr() {
    grep -v -e '^reading from file ' -e '^Running as user ' \
        -e '^Warning: setgid/setuid failed !$' || true
}

# Outputs larger than this are stored gzip-compressed (gzip -n: no name or
# time stamp in the header, so the .gz bytes are deterministic too).
GZIP_ABOVE=$((5 * 1024 * 1024))
OUTPUT_SUFFIXES=(tcpdump tcpdump-S tshark.tsv tshark-conv.txt)

declare -A seen=()
for cap in "$@"; do
    if [ ! -f "$cap" ]; then
        case "$cap" in
        *'*'* | *'?'* | *'['*)
            # an unmatched shell glob such as samples/*.pcapng: nothing to do
            echo "$0: warning: skipping unmatched pattern $cap" >&2
            continue ;;
        esac
        echo "$0: $cap: no such file" >&2
        exit 1
    fi
    dir=$(dirname -- "$cap")
    b=$(basename -- "$cap")
    if [ -n "${seen[$b]:-}" ]; then
        echo "$0: $cap: same basename as ${seen[$b]}; outputs would collide" >&2
        exit 1
    fi
    seen[$b]=$cap
    out="$OUT_DIR/$b"
    err="$TMP_DIR/stderr"
    # Run the tools from the capture's directory on the basename so that any
    # message that quotes the file name does not depend on the invocation path.
    (
        cd -- "$dir"

        # tcpdump exits non-zero on a capture that is cut short; the output
        # up to that point is still the reference, so do not abort.
        { "${NETNS[@]}" tcpdump -# -n -r "$b" 2>"$err.t1" || echo "tcpdump exit status $?" >>"$err.t1"; } \
            | join_continuations | { grep -E -- "$TCP_LINE_RE" || true; } >"$out.tcpdump"
        { "${NETNS[@]}" tcpdump -# -n -S -r "$b" 2>"$err.t2" || echo "tcpdump -S exit status $?" >>"$err.t2"; } \
            | join_continuations | { grep -E -- "$TCP_LINE_RE" || true; } >"$out.tcpdump-S"

        tshark -n -r "$b" \
            -o tcp.analyze_sequence_numbers:TRUE \
            -o tcp.relative_sequence_numbers:TRUE \
            -Y 'tcp && !icmp && !icmpv6' \
            -T fields -E header=y -E separator=/t -E occurrence=f \
            "${TSHARK_E[@]}" >"$out.tshark.tsv" 2>"$err.s1" \
            || echo "tshark exit status $?" >>"$err.s1"

        tshark -n -r "$b" -q -z conv,tcp >"$out.tshark-conv.txt" 2>"$err.s2" \
            || echo "tshark conv exit status $?" >>"$err.s2"
    )
    {
        for part in t1:tcpdump t2:tcpdump-S s1:tshark s2:tshark-conv; do
            f="$err.${part%%:*}"
            filter_stderr <"$f" | sed "s/^/${part#*:}: /"
            rm -f -- "$f"
        done
    } >"$err"
    if [ -s "$err" ]; then
        cat -- "$err" >"$out.stderr"
    else
        rm -f -- "$out.stderr"
    fi
    for sfx in "${OUTPUT_SUFFIXES[@]}"; do
        f="$out.$sfx"
        rm -f -- "$f.gz"
        if [ "$(stat -c %s -- "$f")" -gt "$GZIP_ABOVE" ]; then
            gzip -n -9 -- "$f"
            echo "$0: note: $f is larger than 5 MiB, stored as $f.gz" >&2
        fi
    done
done
