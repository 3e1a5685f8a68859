//! How long matching two captures of the same traffic takes: 100,000 packets in each, 1,000
//! connections through a NAT, 20 ms one way and 35 ms back, one packet in 200 lost
//! between the two capture points. Run: `cargo bench --bench two_ends` (release build).
//!
//! Both captures are made here from one list of packets: the client's side sees each
//! packet when the client sent or received it, the server's side sees the client's
//! address rewritten and its own times.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ACK, End, FIN, Pcap, SYN};
use std::sync::Arc;
use std::time::Instant;
use tcp_ladder::ladder::{LadderOptions, layout_two};
use tcp_ladder::session::{LoadControl, Session};
use tcp_ladder::timeline::TwoEnds;
use tcp_ladder::timeline::pair::{Both, File};

const CONNECTIONS: u32 = 1_000;
/// Packets per connection: handshake 3, 47 data/ACK pairs, close 3.
const PER_CONNECTION: u32 = 100;
const TO_SERVER_US: u64 = 20_000;
const TO_CLIENT_US: u64 = 35_000;

/// One packet: when the client saw it, who sent it, its numbers.
struct Packet {
    t_client: u64,
    from_client: bool,
    conn: u32,
    seq: u32,
    ack: u32,
    flags: u8,
    len: usize,
}

fn main() {
    let packets = traffic();
    let inside = |conn: u32| End {
        addr: [10, 0, (conn >> 8) as u8, conn as u8],
        port: 40_000 + (conn % 20_000) as u16,
    };
    let outside = |conn: u32| End {
        addr: [198, 51, 100, 1],
        port: 40_000 + (conn % 20_000) as u16,
    };
    let server = End {
        addr: [198, 51, 100, 2],
        port: 8888,
    };
    let mut client_side = Pcap::new(packets.len() * 80);
    let mut server_side: Vec<(u64, &Packet)> = Vec::with_capacity(packets.len());
    for (i, p) in packets.iter().enumerate() {
        let (src, dst) = if p.from_client {
            (inside(p.conn), server)
        } else {
            (server, inside(p.conn))
        };
        client_side.push(p.t_client, src, dst, p.seq, p.ack, p.flags, p.len);
        // Lost between the two points: one client packet in 200 (never a SYN).
        if p.from_client && p.flags & SYN == 0 && i % 200 == 7 {
            continue;
        }
        let t = if p.from_client {
            p.t_client + TO_SERVER_US
        } else {
            p.t_client - TO_CLIENT_US
        };
        server_side.push((t, p));
    }
    server_side.sort_by_key(|(t, _)| *t);
    let mut server_pcap = Pcap::new(server_side.len() * 80);
    for (t, p) in &server_side {
        let (src, dst) = if p.from_client {
            (outside(p.conn), server)
        } else {
            (server, outside(p.conn))
        };
        server_pcap.push(*t, src, dst, p.seq, p.ack, p.flags, p.len);
    }
    let load = |name: &str, bytes: Vec<u8>| {
        Session::load_bytes(
            std::path::Path::new(name),
            Arc::from(bytes),
            &LoadControl::default(),
        )
        .unwrap()
    };
    let start = Instant::now();
    let a = load("client.pcap", client_side.bytes);
    let b = load("server.pcap", server_pcap.bytes);
    println!(
        "loading both captures ({} + {} packets):      {:>8.1} ms",
        a.packets.len(),
        b.packets.len(),
        ms(start)
    );
    let mut best = f64::MAX;
    let mut ends = None;
    for _ in 0..3 {
        let start = Instant::now();
        ends = Some(TwoEnds::match_files(Both::new(&a, &b)));
        best = best.min(ms(start));
    }
    let ends = ends.unwrap();
    let lost: usize = ends
        .connections
        .iter()
        .map(|c| c.lost_to_server + c.lost_to_client)
        .sum();
    println!(
        "matching them ({} connections, {lost} lost between): {best:>8.1} ms (best of 3)",
        ends.connections.len()
    );
    let pair = ends.connection(File::First, 0).unwrap();
    let start = Instant::now();
    let ladder = layout_two(&ends, Both::new(&a, &b), pair, &LadderOptions::default());
    println!(
        "two-ended ladder of one connection ({} rows):   {:>8.3} ms",
        ladder.rows.len(),
        ms(start)
    );
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Every packet of every connection, in the order the client's side saw them.
fn traffic() -> Vec<Packet> {
    let mut out = Vec::with_capacity((CONNECTIONS * PER_CONNECTION) as usize);
    let rtt = TO_SERVER_US + TO_CLIENT_US;
    for conn in 0..CONNECTIONS {
        let mut t = 1_700_000_000_000_000u64 + u64::from(conn) * 3_000;
        let (mut cseq, mut sseq) = (conn.wrapping_mul(7919), conn.wrapping_mul(104_729));
        let mut push = |t: u64, from_client: bool, seq: u32, ack: u32, flags: u8, len: usize| {
            out.push(Packet {
                t_client: t,
                from_client,
                conn,
                seq,
                ack,
                flags,
                len,
            });
        };
        push(t, true, cseq, 0, SYN, 0);
        t += rtt;
        push(t, false, sseq, cseq + 1, SYN | ACK, 0);
        cseq += 1;
        sseq += 1;
        t += 50;
        push(t, true, cseq, sseq, ACK, 0);
        for _ in 0..(PER_CONNECTION - 6) / 2 {
            t += 200;
            push(t, true, cseq, sseq, ACK, 500);
            cseq = cseq.wrapping_add(500);
            // Its ACK comes back a round trip later (the client sees it then).
            push(t + rtt, false, sseq, cseq, ACK, 0);
        }
        t += rtt + 1_000;
        push(t, true, cseq, sseq, FIN | ACK, 0);
        t += rtt;
        push(t, false, sseq, cseq + 1, FIN | ACK, 0);
        t += 50;
        push(t, true, cseq + 1, sseq + 1, ACK, 0);
    }
    out.sort_by_key(|p| p.t_client);
    out
}
