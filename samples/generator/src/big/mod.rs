//! The streaming generator behind `make-big-capture`: a pcap with many
//! interleaved TCP connections for benchmarking readers.
//!
//! Connections open at random (exponential) intervals; each draws up a
//! [`plan::Plan`] when it opens. A heap merges the open connections'
//! next segments in time order, and every segment is encoded and written at
//! once: the capture itself is never held in memory.

pub mod plan;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use etherparse::TcpOptionElement;

use crate::link::{Hop, Link};
use crate::rng::Rng;
use crate::segment::{Segment, linux_syn_options, linux_syn_options_no_ts, ts_options};
use crate::sink::{PcapFormat, PcapStream};
use crate::time::{Date, millis_u32};
use plan::{Ending, Plan, Planned, Tuple};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// At least this many packets.
    pub packets: u64,
    /// At least this many connections.
    pub connections: u64,
    /// PRNG seed: same seed, same file.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            packets: 1_000_000,
            connections: 10_000,
            seed: 20_240_301,
        }
    }
}

/// What was generated.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub packets: u64,
    pub connections: u64,
    pub max_open: usize,
    pub reused_tuples: u64,
    pub resets: u64,
    pub refused: u64,
    pub payload_bytes: u64,
    pub duration_us: u64,
}

/// Mean time between two connection openings.
const MEAN_ARRIVAL_US: u64 = 900;
/// Largest plan; above it more connections are opened instead.
const MAX_PACKETS_PER_CONNECTION: u64 = 20_000;
/// Client hosts: 10.1.0.1 … 10.1.3.250.
const CLIENT_HOSTS: u64 = 1_000;
/// Recently closed tuples kept for deliberate reuse.
const CLOSED_RING: usize = 256;
/// Per cent of new connections that reuse a closed four-tuple.
const REUSE_PERCENT: u64 = 3;
const SERVER_PORTS: [u16; 6] = [80, 443, 8080, 5432, 6379, 22];
const GATEWAY_MAC: [u8; 6] = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10];

/// Printable filler for payloads.
fn filler() -> [u8; 1460] {
    let mut p = [0u8; 1460];
    let text = b"tcp-ladder benchmark payload 0123456789 abcdefghijklmnopqrstuvwxyz\n";
    for (i, b) in p.iter_mut().enumerate() {
        *b = text.get(i % text.len()).copied().unwrap_or(b'.');
    }
    p
}

/// An open connection: its plan and which slot it lives in.
struct Open {
    plan: Plan,
}

/// Chooses fresh and reused four-tuples without clashing with open ones.
struct Tuples {
    next_port: Vec<u16>,
    open: HashSet<Tuple>,
    closed: VecDeque<Tuple>,
}

impl Tuples {
    fn new(rng: &mut Rng) -> Self {
        let next_port = (0..CLIENT_HOSTS)
            .map(|_| 32_768 + rng.range(0, 20_000) as u16)
            .collect();
        Tuples {
            next_port,
            open: HashSet::new(),
            closed: VecDeque::with_capacity(CLOSED_RING),
        }
    }

    /// A tuple for a new connection, and whether it is a reused one.
    fn take(&mut self, rng: &mut Rng) -> (Tuple, bool) {
        if rng.chance(REUSE_PERCENT) && !self.closed.is_empty() {
            let i = rng.range(0, self.closed.len() as u64 - 1) as usize;
            if let Some(t) = self.closed.remove(i)
                && self.open.insert(t)
            {
                return (t, true);
            }
        }
        let host = rng.range(0, CLIENT_HOSTS - 1);
        let client = Ipv4Addr::new(10, 1, (host / 250) as u8, (host % 250) as u8 + 1);
        let server = Ipv4Addr::new(10, 2, 0, rng.range(1, 8) as u8);
        let server_port = SERVER_PORTS[rng.range(0, SERVER_PORTS.len() as u64 - 1) as usize];
        let slot = &mut self.next_port[host as usize];
        loop {
            *slot = if *slot >= 60_999 {
                32_768
            } else {
                *slot + rng.range(1, 7) as u16
            };
            let t = Tuple {
                client,
                client_port: *slot,
                server,
                server_port,
            };
            if self.open.insert(t) {
                return (t, false);
            }
        }
    }

    /// A connection has sent its last segment.
    fn release(&mut self, t: Tuple) {
        self.open.remove(&t);
        if self.closed.len() == CLOSED_RING {
            self.closed.pop_front();
        }
        self.closed.push_back(t);
    }
}

/// Writes the whole capture to `out` (Ethernet, microseconds, little
/// endian) and reports what it wrote.
pub fn generate<W: Write>(out: W, cfg: &Config) -> io::Result<Stats> {
    let mut rng = Rng::new(cfg.seed);
    let start = Date::new(2024, 3, 1).at(12, 0, 0, 0);
    let start_ms = millis_u32(start);
    let mut stream = PcapStream::new(out, PcapFormat::default())?;
    let payload = filler();
    let avg = (cfg.packets / cfg.connections.max(1)).clamp(6, MAX_PACKETS_PER_CONNECTION);

    let mut tuples = Tuples::new(&mut rng);
    let mut slots: Vec<Option<Open>> = Vec::new();
    let mut free: Vec<usize> = Vec::new();
    // (time, order of insertion, slot): ties keep insertion order.
    let mut heap: BinaryHeap<Reverse<(u64, u64, usize)>> = BinaryHeap::new();
    let mut order = 0u64;
    let mut planned = 0u64;
    let mut next_open_us = 0u64;
    let mut stats = Stats::default();
    let mut frame = Vec::with_capacity(1600);

    loop {
        let want_more = stats.connections < cfg.connections || planned < cfg.packets;
        let next_packet_us = heap.peek().map(|Reverse((t, _, _))| *t);
        if want_more && next_packet_us.is_none_or(|t| next_open_us <= t) {
            let (tuple, reused) = tuples.take(&mut rng);
            let target = rng.range(avg / 4, avg * 7 / 4).max(3) as usize;
            let plan = plan::plan(tuple, next_open_us, start_ms, target, &mut rng);
            planned += plan.packets.len() as u64;
            stats.connections += 1;
            stats.reused_tuples += u64::from(reused);
            stats.resets += u64::from(matches!(
                plan.ending,
                Ending::ClientReset | Ending::ServerReset | Ending::Refused
            ));
            stats.refused += u64::from(plan.ending == Ending::Refused);
            let first = plan.packets.front().map_or(next_open_us, |p| p.time_us);
            let slot = match free.pop() {
                Some(s) => s,
                None => {
                    slots.push(None);
                    slots.len() - 1
                }
            };
            if let Some(place) = slots.get_mut(slot) {
                *place = Some(Open { plan });
            }
            heap.push(Reverse((first, order, slot)));
            order += 1;
            stats.max_open = stats.max_open.max(heap.len());
            next_open_us += rng.exponential(MEAN_ARRIVAL_US).max(1);
            continue;
        }
        let Some(Reverse((_, _, slot))) = heap.pop() else {
            break;
        };
        let Some(Some(open)) = slots.get_mut(slot) else {
            return Err(io::Error::other("scheduler lost a connection"));
        };
        let Some(p) = open.plan.packets.pop_front() else {
            return Err(io::Error::other("empty plan in the scheduler"));
        };
        frame.clear();
        encode(&open.plan, &p, &payload, &mut frame)?;
        stream.write(start + Duration::from_micros(p.time_us), &frame)?;
        stats.packets += 1;
        stats.payload_bytes += u64::from(p.len);
        stats.duration_us = p.time_us;
        match open.plan.packets.front() {
            Some(next) => {
                heap.push(Reverse((next.time_us, order, slot)));
                order += 1;
            }
            None => {
                tuples.release(open.plan.tuple);
                if let Some(place) = slots.get_mut(slot) {
                    *place = None;
                }
                free.push(slot);
            }
        }
    }
    stream.into_inner().flush()?;
    Ok(stats)
}

/// Builds one Ethernet frame for a planned segment.
fn encode(plan: &Plan, p: &Planned, payload: &[u8; 1460], out: &mut Vec<u8>) -> io::Result<()> {
    let t = &plan.tuple;
    let tr = &plan.traits;
    let client = SocketAddr::new(IpAddr::V4(t.client), t.client_port);
    let server = SocketAddr::new(IpAddr::V4(t.server), t.server_port);
    let options: Vec<TcpOptionElement> = match (p.flags.syn, p.ts) {
        (true, Some((val, ecr))) => {
            let (mss, ws) = if p.from_client {
                (tr.client_mss, tr.client_wscale)
            } else {
                (tr.server_mss, tr.server_wscale)
            };
            linux_syn_options(mss, val, ecr, ws)
        }
        (true, None) => {
            let (mss, ws) = if p.from_client {
                (tr.client_mss, tr.client_wscale)
            } else {
                (tr.server_mss, tr.server_wscale)
            };
            linux_syn_options_no_ts(mss, ws)
        }
        (false, Some((val, ecr))) => ts_options(val, ecr),
        (false, None) => Vec::new(),
    };
    let client_mac = {
        let o = t.client.octets();
        [0x02, 0x00, o[0], o[1], o[2], o[3]]
    };
    let (src, dst, ttl, hop) = if p.from_client {
        let hop = Hop {
            src_mac: client_mac,
            dst_mac: GATEWAY_MAC,
            outgoing: true,
        };
        (client, server, 64, hop)
    } else {
        let hop = Hop {
            src_mac: GATEWAY_MAC,
            dst_mac: client_mac,
            outgoing: false,
        };
        (server, client, tr.server_ttl, hop)
    };
    let segment = Segment {
        src,
        dst,
        ttl,
        ip_id: p.ip_id,
        flow_label: 0,
        flags: p.flags,
        seq: p.seq,
        ack: p.ack,
        window: p.window,
        options: &options,
        payload: payload.get(..usize::from(p.len)).unwrap_or(payload),
    };
    Link::Ethernet.frame(&hop, &segment, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_capture_meets_its_targets_and_is_deterministic() -> io::Result<()> {
        let cfg = Config {
            packets: 5_000,
            connections: 100,
            seed: 9,
        };
        let mut a = Vec::new();
        let stats = generate(&mut a, &cfg)?;
        assert!(stats.packets >= 5_000, "{stats:?}");
        assert!(stats.connections >= 100, "{stats:?}");
        assert!(stats.max_open > 1, "{stats:?}");
        let mut b = Vec::new();
        generate(&mut b, &cfg)?;
        assert!(a == b);
        Ok(())
    }
}
