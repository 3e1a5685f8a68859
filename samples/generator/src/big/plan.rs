//! The plan of one benchmark connection: every segment it will carry, with
//! its time, worked out when the connection opens.
//!
//! Only open connections hold a plan, so memory grows with the number of
//! connections open at once, never with the size of the capture.

use std::collections::VecDeque;
use std::net::Ipv4Addr;

use crate::rng::Rng;
use crate::segment::Flags;

/// The four numbers that name a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tuple {
    pub client: Ipv4Addr,
    pub client_port: u16,
    pub server: Ipv4Addr,
    pub server_port: u16,
}

/// One segment to be written.
#[derive(Clone, Copy, Debug)]
pub struct Planned {
    /// Microseconds since the capture started.
    pub time_us: u64,
    pub from_client: bool,
    pub flags: Flags,
    pub seq: u32,
    pub ack: u32,
    pub window: u16,
    pub ip_id: u16,
    /// Payload length, 0..=1460.
    pub len: u16,
    /// `(TS val, TS ecr)` when the connection uses timestamps.
    pub ts: Option<(u32, u32)>,
}

/// How the connection's SYNs look and how big its segments can be.
#[derive(Clone, Copy, Debug)]
pub struct Traits {
    pub client_mss: u16,
    pub server_mss: u16,
    pub client_wscale: u8,
    pub server_wscale: u8,
    pub client_syn_window: u16,
    pub server_syn_window: u16,
    /// TTL of the server's packets where the capture is taken.
    pub server_ttl: u8,
    pub timestamps: bool,
}

/// How a connection ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The SYN is answered by RST+ACK.
    Refused,
    ClientFinFirst,
    ServerFinFirst,
    /// FIN, FIN+ACK, ACK.
    ThreeWay,
    ClientReset,
    ServerReset,
}

/// A connection's traits and its remaining segments.
#[derive(Debug)]
pub struct Plan {
    pub tuple: Tuple,
    pub traits: Traits,
    pub ending: Ending,
    pub packets: VecDeque<Planned>,
}

/// Running state while a plan is drawn up.
struct Builder {
    traits: Traits,
    out: VecDeque<Planned>,
    now: u64,
    rtt: u64,
    client_seq: u32,
    server_seq: u32,
    client_id: u16,
    server_id: u16,
    client_window: u16,
    server_window: u16,
    client_ts_offset: u32,
    server_ts_offset: u32,
    last_client_ts: u32,
    last_server_ts: u32,
    capture_start_ms: u32,
}

impl Builder {
    fn push(&mut self, from_client: bool, flags: Flags, len: u16, seq: Option<u32>) {
        let now_ms = self.capture_start_ms.wrapping_add((self.now / 1000) as u32);
        let (own_seq, peer_seq) = if from_client {
            (self.client_seq, self.server_seq)
        } else {
            (self.server_seq, self.client_seq)
        };
        let seq = seq.unwrap_or(own_seq);
        // A bare RST answers a segment of a connection that is gone: no options.
        let bare_rst = flags.rst && !flags.ack;
        let ts = if self.traits.timestamps && !bare_rst {
            let (val, ecr) = if from_client {
                let v = self.client_ts_offset.wrapping_add(now_ms);
                (
                    v,
                    if flags == Flags::SYN {
                        0
                    } else {
                        self.last_server_ts
                    },
                )
            } else {
                (
                    self.server_ts_offset.wrapping_add(now_ms),
                    self.last_client_ts,
                )
            };
            if from_client {
                self.last_client_ts = val;
            } else {
                self.last_server_ts = val;
            }
            Some((val, ecr))
        } else {
            None
        };
        let window = match (flags.syn, from_client) {
            (true, true) => self.traits.client_syn_window,
            (true, false) => self.traits.server_syn_window,
            (false, true) => self.client_window,
            (false, false) => self.server_window,
        };
        let ip_id = if from_client {
            self.client_id = self.client_id.wrapping_add(1);
            self.client_id
        } else if flags.syn {
            0
        } else {
            self.server_id = self.server_id.wrapping_add(1);
            self.server_id
        };
        self.out.push_back(Planned {
            time_us: self.now,
            from_client,
            flags,
            seq,
            ack: if flags.ack { peer_seq } else { 0 },
            window: if flags.rst && !flags.ack { 0 } else { window },
            ip_id,
            len,
            ts,
        });
        let advance = u32::from(len) + flags.control_len();
        if from_client {
            self.client_seq = self.client_seq.wrapping_add(advance);
        } else {
            self.server_seq = self.server_seq.wrapping_add(advance);
        }
    }

    fn max_payload(&self, from_client: bool) -> u16 {
        let peer_mss = if from_client {
            self.traits.server_mss
        } else {
            self.traits.client_mss
        };
        if self.traits.timestamps {
            peer_mss - 12
        } else {
            peer_mss
        }
    }
}

/// Draws one connection's plan with about `target` packets, starting at
/// `start_us` (microseconds into the capture).
pub fn plan(
    tuple: Tuple,
    start_us: u64,
    capture_start_ms: u32,
    target: usize,
    rng: &mut Rng,
) -> Plan {
    let timestamps = rng.chance(70);
    let traits = Traits {
        client_mss: if rng.chance(80) { 1460 } else { 1400 },
        server_mss: [1460, 1460, 1460, 1440, 1412, 1380][rng.range(0, 5) as usize],
        client_wscale: [7, 7, 8, 2, 9][rng.range(0, 4) as usize],
        server_wscale: [7, 7, 9, 10][rng.range(0, 3) as usize],
        client_syn_window: [64_240, 64_240, 65_535, 29_200][rng.range(0, 3) as usize],
        server_syn_window: [65_160, 28_960, 65_535, 14_600][rng.range(0, 3) as usize],
        server_ttl: 64 - rng.range(0, 20) as u8,
        timestamps,
    };
    let ending = match rng.range(0, 99) {
        0..=1 => Ending::Refused,
        2..=6 => Ending::ClientReset,
        7..=9 => Ending::ServerReset,
        10..=29 => Ending::ThreeWay,
        30..=54 => Ending::ServerFinFirst,
        _ => Ending::ClientFinFirst,
    };
    let mut b = Builder {
        traits,
        out: VecDeque::with_capacity(target + 8),
        now: start_us,
        rtt: rng.range(150, 90_000),
        client_seq: rng.next_u32(),
        server_seq: rng.next_u32(),
        client_id: rng.next_u32() as u16,
        server_id: rng.next_u32() as u16,
        client_window: rng.range(250, 3_000) as u16,
        server_window: rng.range(220, 1_200) as u16,
        client_ts_offset: rng.next_u32(),
        server_ts_offset: rng.next_u32(),
        last_client_ts: 0,
        last_server_ts: 0,
        capture_start_ms,
    };

    b.push(true, Flags::SYN, 0, None);
    b.now += b.rtt;
    if ending == Ending::Refused {
        // RST+ACK: seq 0, window 0, no options.
        b.traits.timestamps = false;
        b.server_seq = 0;
        b.push(false, Flags::RST_ACK, 0, Some(0));
        return Plan {
            tuple,
            traits,
            ending,
            packets: b.out,
        };
    }
    b.push(false, Flags::SYN_ACK, 0, None);
    b.now += rng.range(10, 80);
    b.push(true, Flags::ACK, 0, None);

    let close_cost = 4;
    let mut first_round = true;
    while b.out.len() + close_cost + 2 < target {
        let budget = target - b.out.len() - close_cost;
        // The client thinks, then asks.
        b.now += if first_round {
            rng.range(5, 200)
        } else {
            rng.exponential(40_000)
        };
        first_round = false;
        let request_segments = if rng.chance(85) {
            1
        } else {
            rng.range(2, 3) as usize
        };
        let max_c = b.max_payload(true);
        for i in 0..request_segments {
            let last = i + 1 == request_segments;
            let len = if last {
                rng.range(1, u64::from(max_c)) as u16
            } else {
                max_c
            };
            let flags = if last { Flags::PSH_ACK } else { Flags::ACK };
            b.push(true, flags, len, None);
            b.now += 12;
        }
        // The server answers after a round trip plus its own think time.
        b.now += b.rtt + rng.range(20, 3_000);
        let room = budget.saturating_sub(request_segments);
        let most = (room * 2 / 3).max(1);
        let answer = if rng.chance(8) {
            0
        } else {
            (rng.range(1, 40) as usize).min(most)
        };
        if answer == 0 {
            b.push(false, Flags::ACK, 0, None);
            continue;
        }
        let max_s = b.max_payload(false);
        for i in 0..answer {
            let last = i + 1 == answer;
            let len = if !last || rng.chance(50) {
                max_s
            } else {
                rng.range(0, u64::from(max_s)) as u16
            };
            let flags = if last { Flags::PSH_ACK } else { Flags::ACK };
            b.push(false, flags, len, None);
            if i % 2 == 1 || last {
                b.now += rng.range(15, 60);
                b.push(true, Flags::ACK, 0, None);
            }
            // A new flight every 10 segments, one round trip later.
            b.now += if i % 10 == 9 { b.rtt } else { 12 };
        }
        if rng.chance(10) {
            b.client_window = b.client_window.saturating_add(rng.range(1, 200) as u16);
        }
    }

    b.now += rng.exponential(50_000);
    match ending {
        Ending::ClientReset => b.push(true, Flags::RST_ACK, 0, None),
        Ending::ServerReset => b.push(false, Flags::RST_ACK, 0, None),
        Ending::ThreeWay => {
            b.push(true, Flags::FIN_ACK, 0, None);
            b.now += b.rtt;
            b.push(false, Flags::FIN_ACK, 0, None);
            b.now += rng.range(10, 80);
            b.push(true, Flags::ACK, 0, None);
        }
        Ending::ServerFinFirst => {
            b.push(false, Flags::FIN_ACK, 0, None);
            b.now += rng.range(10, 80);
            b.push(true, Flags::ACK, 0, None);
            b.now += rng.range(20, 5_000);
            b.push(true, Flags::FIN_ACK, 0, None);
            b.now += b.rtt;
            b.push(false, Flags::ACK, 0, None);
        }
        Ending::ClientFinFirst | Ending::Refused => {
            b.push(true, Flags::FIN_ACK, 0, None);
            b.now += b.rtt;
            b.push(false, Flags::ACK, 0, None);
            b.now += rng.range(12, 400);
            b.push(false, Flags::FIN_ACK, 0, None);
            b.now += rng.range(10, 80);
            b.push(true, Flags::ACK, 0, None);
        }
    }
    Plan {
        tuple,
        traits,
        ending,
        packets: b.out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuple() -> Tuple {
        Tuple {
            client: Ipv4Addr::new(10, 1, 0, 1),
            client_port: 40_000,
            server: Ipv4Addr::new(10, 2, 0, 1),
            server_port: 80,
        }
    }

    #[test]
    fn plans_are_time_ordered_and_near_their_target() {
        let mut rng = Rng::new(3);
        for target in [3usize, 10, 100, 500] {
            for _ in 0..50 {
                let p = plan(tuple(), 1_000, 0, target, &mut rng);
                let times: Vec<u64> = p.packets.iter().map(|x| x.time_us).collect();
                assert!(times.windows(2).all(|w| w[0] <= w[1]));
                assert!(
                    p.packets.len() <= target.max(8) + 2,
                    "{} > {target}",
                    p.packets.len()
                );
                assert!(p.packets.iter().all(|x| x.len <= 1460));
            }
        }
    }
}
