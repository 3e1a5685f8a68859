#!/usr/bin/env bash
# make-two-ends.sh: records REAL two-sided captures of TCP connections through
# a NAT router, with a known delay each way and chosen losses, into
# samples/two-ends/: <scenario>-client.pcap, <scenario>-server.pcap and
# <scenario>.truth.tsv (what the wire did to every TCP frame). Then it runs
# check.py on them.
#
#   tl-client              tl-router                        tl-wire                      tl-server
#   10.0.1.2/24  tlc0 --- tlr0  10.0.1.1/24
#                              tlro 198.51.100.1/24 --- tlwr  delay_bridge.py  tlws --- tlsv 198.51.100.2/24
#                              NAT: MASQUERADE -o tlro       c2s 20 ms, s2c 35 ms         server :8888
#                              TCPMSS --set-mss 1400         + drop rules
#   tcpdump -i tlc0                                                                      tcpdump -i tlsv
#
# The kernel that made the samples has no netem qdisc, so the delay and the
# losses come from delay_bridge.py, a user-space Ethernet wire (AF_PACKET) in
# tl-wire, a namespace with no addresses. The NAT and the MSS clamp are the
# router namespace's kernel (iptables). Offloads are off on every veth: the
# bridge must never see a frame whose checksum the kernel left unfinished,
# and the captures then show real checksums.
#
# The bridge, the client and the server are pinned to one CPU. Otherwise the
# kernel may send two segments of one host from two CPUs (one from the
# program's recv(), one from the softirq that handles an arriving frame), and
# the router forwards them in the other order: real reordering, but not the
# lesson of these samples, and not the same from run to run.
#
# Needs root, ip (iproute2), iptables, ethtool, tcpdump, chrt, taskset, python3.
# The result is not deterministic (ISNs, ports, IP IDs and times are the
# kernel's); the drop rules are (they name segments, not times).
#
# Usage (from anywhere): sudo samples/two-ends/make-two-ends.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${TWO_ENDS_OUT:-$HERE}    # where the files go (default: next to this script)
PORT=8888
C2S_MS=20
S2C_MS=35
MSS=1400
CPU=0           # the bridge, the client and the server all run on this CPU (see below)
NS_C=tl-client NS_R=tl-router NS_W=tl-wire NS_S=tl-server

scenario_drops() {      # the bridge's drop rules per scenario
    case "$1" in
        nat-close) echo "" ;;
        nat-loss)  echo "--drop c2s:data:3 --drop s2c:data:2" ;;
        nat-rst)   echo "" ;;
    esac
}

if [ "$(id -u)" != 0 ]; then
    echo "make-two-ends.sh: must run as root" >&2
    exit 1
fi
for tool in ip iptables ethtool tcpdump chrt taskset python3; do
    command -v "$tool" >/dev/null || { echo "make-two-ends.sh: $tool not found" >&2; exit 1; }
done
for ns in $NS_C $NS_R $NS_W $NS_S; do
    if ip netns list | grep -qw "^$ns"; then
        echo "make-two-ends.sh: namespace $ns already exists (a crashed run?); remove it with: ip netns del $ns" >&2
        exit 1
    fi
done

work=$(mktemp -d)
PIDS=()
NAMESPACES=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do
        kill -INT "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    for ns in "${NAMESPACES[@]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$work"
    [ $rc = 0 ] || echo "make-two-ends.sh: FAILED (rc $rc); namespaces and processes cleaned up" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ---- topology ---------------------------------------------------------------
for ns in $NS_C $NS_R $NS_W $NS_S; do
    ip netns add "$ns"
    NAMESPACES+=("$ns")
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    in_ns "$ns" ip link set lo up
done
ip link add tlc0 netns $NS_C type veth peer name tlr0 netns $NS_R
ip link add tlro netns $NS_R type veth peer name tlwr netns $NS_W
ip link add tlws netns $NS_W type veth peer name tlsv netns $NS_S
for pair in $NS_C:tlc0 $NS_R:tlr0 $NS_R:tlro $NS_W:tlwr $NS_W:tlws $NS_S:tlsv; do
    ns=${pair%%:*} dev=${pair#*:}
    in_ns "$ns" ethtool -K "$dev" tx off rx off tso off gso off gro off >/dev/null
    in_ns "$ns" ip link set "$dev" up
done
in_ns $NS_W ip link set tlwr promisc on
in_ns $NS_W ip link set tlws promisc on

in_ns $NS_C ip addr add 10.0.1.2/24 dev tlc0
in_ns $NS_C ip route add default via 10.0.1.1
in_ns $NS_R ip addr add 10.0.1.1/24 dev tlr0
in_ns $NS_R ip addr add 198.51.100.1/24 dev tlro
in_ns $NS_R sysctl -qw net.ipv4.ip_forward=1
in_ns $NS_R iptables -t nat -A POSTROUTING -o tlro -j MASQUERADE
in_ns $NS_R iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss $MSS
in_ns $NS_S ip addr add 198.51.100.2/24 dev tlsv
# No route back to 10.0.1.0/24 on the server: without the NAT nothing would work.

wait_for() {    # wait_for FILE PATTERN: up to 10 s for PATTERN in FILE (or FILE to exist)
    for _ in $(seq 100); do
        if [ -z "${2:-}" ]; then [ -e "$1" ] && return 0
        else grep -q "$2" "$1" 2>/dev/null && return 0; fi
        sleep 0.1
    done
    echo "make-two-ends.sh: timed out waiting for $1 ${2:-}" >&2
    cat "$1" >&2 2>/dev/null || true
    return 1
}

forget_pid() {  # forget_pid PID: no longer ours to stop
    local keep=() p
    for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

stop_pid() {    # stop_pid PID: SIGINT and wait, then forget it
    kill -INT "$1" 2>/dev/null || true
    wait "$1" || true
    forget_pid "$1"
}

# ---- one scenario -----------------------------------------------------------
run_scenario() {
    local name=$1 drops
    drops=$(scenario_drops "$name")
    echo "=== $name (c2s ${C2S_MS} ms, s2c ${S2C_MS} ms, drops: ${drops:-none})"
    rm -f "$OUT/$name-client.pcap" "$OUT/$name-server.pcap" "$OUT/$name.truth.tsv"

    # shellcheck disable=SC2086
    ip netns exec $NS_W taskset -c $CPU chrt -f 50 python3 "$HERE/delay_bridge.py" --client-if tlwr --server-if tlws \
        --c2s-ms $C2S_MS --s2c-ms $S2C_MS $drops \
        --log "$OUT/$name.truth.tsv" --ready "$work/$name.bridge" 2>"$work/$name.bridge.err" &
    local bridge=$!
    PIDS+=("$bridge")
    wait_for "$work/$name.bridge"

    # ARP through the wire before capturing, so the connection does not wait for it:
    # one UDP datagram to a closed port, answered by ICMP port unreachable.
    in_ns $NS_C python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.connect(("198.51.100.2", 9))
s.send(b"arp")
try:
    s.recv(16)
except ConnectionRefusedError:
    pass
'

    ip netns exec $NS_C tcpdump -i tlc0 -n -s 0 --immediate-mode -U -Z root -w "$OUT/$name-client.pcap" tcp \
        2>"$work/$name.tcpdump-c.err" &
    local tdc=$!
    PIDS+=("$tdc")
    ip netns exec $NS_S tcpdump -i tlsv -n -s 0 --immediate-mode -U -Z root -w "$OUT/$name-server.pcap" tcp \
        2>"$work/$name.tcpdump-s.err" &
    local tds=$!
    PIDS+=("$tds")
    wait_for "$work/$name.tcpdump-c.err" "listening on"
    wait_for "$work/$name.tcpdump-s.err" "listening on"
    sleep 0.5

    ip netns exec $NS_S taskset -c $CPU python3 "$HERE/traffic.py" server "$name" $PORT "$work/$name.server" &
    local server=$!
    PIDS+=("$server")
    wait_for "$work/$name.server"
    in_ns $NS_C taskset -c $CPU python3 "$HERE/traffic.py" client "$name" 198.51.100.2 $PORT
    wait "$server"
    forget_pid "$server"

    sleep 1.5                       # the last ACKs (and any late retransmission) settle
    stop_pid "$tdc"
    stop_pid "$tds"
    stop_pid "$bridge"
    cat "$work/$name.bridge.err" >&2
    in_ns $NS_R cat /proc/net/nf_conntrack 2>/dev/null | grep "dport=$PORT" | sed 's/^/  conntrack: /' || true
}

for name in nat-close nat-loss nat-rst; do
    run_scenario "$name"
done
chmod 644 "$OUT"/*.pcap "$OUT"/*.truth.tsv

echo "=== check"
python3 "$HERE/check.py" "$OUT"
