#!/usr/bin/env bash
# Makes seed-commented.pcapng: the seed handshake sample with packet comments added by
# Wireshark's own editcap (so the comments are as Wireshark writes them), and
# seed-commented.tsv: what tshark reads back (frame number, frame.comment). The test
# tests/notes.rs checks that tcp-ladder reads exactly these. Needs editcap and tshark.
set -euo pipefail
cd "$(dirname "$0")"
# The sample carries its own notes; its pcap copy drops them, so only these are added.
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
src=$tmp/seed-handshake-client.pcap
editcap -F pcap ../../../samples/seed-handshake-client.pcapng "$src"
editcap -F pcapng \
  -a "1:The client opens: note the MSS it offers (1414)." \
  -a "2:服务器的 SYN-ACK：MSS 被 NAT 路由器改成了 1412。" \
  -a "4:helloworld: 10 bytes, seq 1 to 10." \
  -a "4:A second comment on the same packet." \
  "$src" seed-commented.pcapng
TZ=UTC tshark -r seed-commented.pcapng -T fields -e frame.number -e frame.comment \
  -E separator=/t -E occurrence=a -E aggregator='|' > seed-commented.tsv
