#!/usr/bin/env bash
# Reference files for saving packet notes (tests/annotate.rs). Needs tshark, editcap and
# a built tcp-ladder (cargo build). Made with the tool versions in ../README.md.
#
# rich.pcapng: a pcapng with more than packets in it — samples/two-interfaces.pcapng
#   (two interfaces with their options) rewritten by tshark with a name resolution block
#   (-H hosts -W n), then given a decryption secrets block and a packet comment by editcap.
# saved-notes.pcapng: what `tcp-ladder annotate` writes for the notes below (a pcap in:
#   Chinese, two lines, two notes on one frame); saved-notes.tsv: tshark's frame.comment
#   of each frame of it (several comments joined by "|", newlines shown as \n).
# seed-handshake-client.pcap: the seed sample as it was before the samples carried notes
#   (a plain pcap; the bundled sample is now pcapng), kept here as the pcap input.
# saved-rich.pcapng / .tsv: the same for rich.pcapng, whose frame 2 already has a comment.
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
bin=$root/target/debug/tcp-ladder
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '10.8.0.1\tclient.example\n10.8.0.2\tserver.example\n192.168.1.10\tlaptop.example\n192.168.1.20\tprinter.example\n' > "$tmp/hosts"
printf 'CLIENT_RANDOM 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n' > "$tmp/keys"
tshark -r $root/samples/two-interfaces.pcapng -N n -H "$tmp/hosts" -W n -w "$tmp/named.pcapng"
editcap --inject-secrets tls,"$tmp/keys" -a "2:A comment written by editcap." \
  "$tmp/named.pcapng" rich.pcapng

fields() {
  TZ=UTC tshark -r "$1" -T fields -e frame.number -e frame.comment \
    -E separator=/t -E occurrence=a -E aggregator='|'
}

"$bin" annotate seed-handshake-client.pcap \
  --frame 1 --note "The client opens: SYN, seq = ISN." \
  --frame 2 --note "服务器回答 SYN-ACK：确认号 = 客户端的 ISN + 1。" \
  --frame 4 --note $'Ten bytes of data:\nseq 1 to 10.' \
  --frame 4 --note "A second note on the same packet." \
  -o saved-notes.pcapng
fields saved-notes.pcapng > saved-notes.tsv

"$bin" annotate rich.pcapng \
  --frame 1 --note "First packet, first interface." \
  --frame 2 --note "第二条注释，加在 editcap 的注释之后。" \
  -o saved-rich.pcapng
fields saved-rich.pcapng > saved-rich.tsv
