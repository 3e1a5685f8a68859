//! A two-endpoint TCP model for writing teaching scenarios.
//!
//! Each [`Endpoint`] remembers what it has sent (`snd_nxt`), what it has
//! received (`rcv_nxt`) and the peer's latest TCP timestamp, so a scenario
//! only says *who* sends *which flags* and *what data*; sequence, ack and
//! timestamp numbers follow. Overrides ([`Send`]) cover the unusual cases:
//! retransmissions, crossing segments (sent before the peer's arrived) and
//! resets.
//!
//! Times follow one clock: the clock of the capture point. A far-side
//! answer to a near-side segment shows up one round-trip time later.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use crate::link::{Hop, Link};
use etherparse::TcpOptionElement;

use crate::segment::{
    Flags, Segment, linux_syn_options, linux_syn_options_no_ts, ts_options, windows_syn_options,
};
use crate::sink::Frame;
use crate::time::millis_u32;

/// Which end of the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    /// The other end.
    pub const fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
}

/// `a < b` in 32-bit sequence space.
const fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// How an end lays out the options of its SYN or SYN+ACK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynStyle {
    /// `mss,sackOK,TS,nop,wscale` (or `mss,nop,nop,sackOK,nop,wscale`
    /// without timestamps).
    Linux,
    /// Windows 10/11: `mss,nop,wscale,nop,nop,sackOK`, never timestamps.
    Windows,
}

/// One end of a TCP connection: fixed traits plus the running state.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub addr: SocketAddr,
    /// Source MAC of this end's frames as seen at the capture point (for a
    /// remote host: the router's).
    pub mac: [u8; 6],
    /// TTL / hop limit of this end's packets as seen at the capture point.
    pub ttl: u8,
    /// Next IPv4 identification.
    pub ip_id: u16,
    pub flow_label: u32,
    pub isn: u32,
    pub mss: u16,
    pub wscale: u8,
    /// Window field of this end's SYN or SYN+ACK (never scaled).
    pub syn_window: u16,
    /// Window field of later segments (to be multiplied by 2^wscale).
    pub window: u16,
    /// TS clock offset; `None` turns the timestamp option off.
    pub ts_offset: Option<u32>,
    /// Option layout of the SYN.
    pub syn_style: SynStyle,
    snd_nxt: u32,
    rcv_nxt: u32,
    synced: bool,
    ts_recent: u32,
    /// Data received beyond a hole, `(start, end)`, waiting for the hole.
    out_of_order: Vec<(u32, u32)>,
}

impl Endpoint {
    /// A Linux-like end: TTL 64, MSS 1460 (1440 over IPv6), wscale 7,
    /// SYN window 64240 (64800 over IPv6), timestamps on.
    pub fn new(addr: SocketAddr, isn: u32) -> Self {
        let v6 = addr.is_ipv6();
        let mut mac = [0x02, 0x00, 0, 0, 0, 0];
        if let std::net::IpAddr::V4(ip) = addr.ip() {
            mac[2..].copy_from_slice(&ip.octets());
        } else if let std::net::IpAddr::V6(ip) = addr.ip() {
            mac[2..].copy_from_slice(&ip.octets()[12..]);
        }
        Endpoint {
            addr,
            mac,
            ttl: 64,
            ip_id: (isn >> 16) as u16,
            flow_label: isn & 0xf_ffff,
            isn,
            mss: if v6 { 1440 } else { 1460 },
            wscale: 7,
            syn_window: if v6 { 64_800 } else { 64_240 },
            window: 502,
            ts_offset: Some(isn.wrapping_mul(0x9e37_79b1)),
            syn_style: SynStyle::Linux,
            snd_nxt: isn,
            rcv_nxt: 0,
            synced: false,
            ts_recent: 0,
            out_of_order: Vec::new(),
        }
    }

    /// A Windows 10/11-like end: TTL 128, wscale 8, no timestamps, the
    /// Windows SYN option layout, later window field 1026 (x 256).
    pub fn windows_host(addr: SocketAddr, isn: u32) -> Self {
        let mut ep = Endpoint::new(addr, isn);
        ep.ttl = 128;
        ep.wscale = 8;
        ep.window = 1026;
        ep.ts_offset = None;
        ep.syn_style = SynStyle::Windows;
        ep
    }

    /// Sets the window scale this end announces.
    pub fn wscale(mut self, wscale: u8) -> Self {
        self.wscale = wscale;
        self
    }

    /// Turns the timestamp option off (the peer did not offer it, or this
    /// end does not use it).
    pub fn no_timestamps(mut self) -> Self {
        self.ts_offset = None;
        self
    }

    /// Sets the source MAC.
    pub fn mac(mut self, mac: [u8; 6]) -> Self {
        self.mac = mac;
        self
    }

    /// Sets the TTL seen at the capture point.
    pub fn ttl(mut self, ttl: u8) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets the SYN window and the later window field.
    pub fn windows(mut self, syn_window: u16, window: u16) -> Self {
        self.syn_window = syn_window;
        self.window = window;
        self
    }

    /// Sets the MSS this end announces.
    pub fn mss(mut self, mss: u16) -> Self {
        self.mss = mss;
        self
    }

    /// Sets the TS clock offset (TS val = offset + capture-clock ms).
    pub fn ts_offset(mut self, offset: u32) -> Self {
        self.ts_offset = Some(offset);
        self
    }

    /// Next sequence number this end will use.
    pub fn snd_nxt(&self) -> u32 {
        self.snd_nxt
    }

    /// Next sequence number this end expects from its peer.
    pub fn rcv_nxt(&self) -> u32 {
        self.rcv_nxt
    }

    /// The latest TS val this end accepted from its peer (what its next
    /// segment echoes).
    pub fn ts_recent(&self) -> u32 {
        self.ts_recent
    }

    /// Largest payload per segment towards a peer that announced `peer_mss`.
    pub fn max_payload(&self, peer_mss: u16) -> usize {
        let opts = if self.ts_offset.is_some() { 12 } else { 0 };
        usize::from(peer_mss).saturating_sub(opts)
    }
}

/// What a receiver learns from a segment once it arrives.
#[derive(Clone, Copy, Debug)]
struct Arrival {
    to: Side,
    seq: u32,
    end: u32,
    syn: bool,
    ts_val: Option<u32>,
}

/// A send with optional overrides of what the model would pick.
#[derive(Clone, Debug)]
pub struct Send<'a> {
    pub flags: Flags,
    pub payload: &'a [u8],
    /// Sequence number (default: `snd_nxt`; set it for retransmissions).
    pub seq: Option<u32>,
    /// Acknowledgement number (default: `rcv_nxt`).
    pub ack: Option<u32>,
    /// Window field (default: the endpoint's).
    pub window: Option<u16>,
    /// No TCP options at all (a reset answering a SYN carries none).
    pub bare: bool,
    /// The peer does not see it until [`Conversation::arrive_one`] or
    /// [`Conversation::arrive_all`]: for segments that cross in flight.
    pub in_flight: bool,
    /// TS ecr to send (default: the latest TS val accepted from the peer).
    pub ts_ecr: Option<u32>,
    /// IPv4 identification (default: the sender's next one).
    pub ip_id: Option<u16>,
    /// The instant whose clock gives the TS val (default: now). For a far
    /// end's segment that was delayed on the way.
    pub ts_clock: Option<Duration>,
    /// SACK blocks `(left, right)` in absolute sequence numbers, sent after
    /// the timestamps as Linux lays them out: `nop,nop,sack N {..}`. At most
    /// 3 with timestamps, 4 without.
    pub sack: &'a [(u32, u32)],
    /// Lost (or discarded) after the capture point: recorded, but the
    /// peer's state never changes.
    pub dropped: bool,
    /// Lost before the capture point: not recorded and never delivered;
    /// only the sender's own state (next seq, IP ID) moves on.
    pub unseen: bool,
}

impl<'a> Send<'a> {
    /// A plain send of `flags` with `payload`.
    pub fn new(flags: Flags, payload: &'a [u8]) -> Self {
        Send {
            flags,
            payload,
            seq: None,
            ack: None,
            window: None,
            bare: false,
            in_flight: false,
            ts_ecr: None,
            ip_id: None,
            ts_clock: None,
            sack: &[],
            dropped: false,
            unseen: false,
        }
    }

    /// Overrides the sequence number.
    pub fn seq(mut self, seq: u32) -> Self {
        self.seq = Some(seq);
        self
    }

    /// Overrides the acknowledgement number.
    pub fn ack(mut self, ack: u32) -> Self {
        self.ack = Some(ack);
        self
    }

    /// Overrides the window field.
    pub fn window(mut self, window: u16) -> Self {
        self.window = Some(window);
        self
    }

    /// Sends without any TCP option.
    pub fn bare(mut self) -> Self {
        self.bare = true;
        self
    }

    /// Lets the segment cross the peer's next segments in flight.
    pub fn in_flight(mut self) -> Self {
        self.in_flight = true;
        self
    }

    /// Overrides the TS ecr.
    pub fn ts_ecr(mut self, ecr: u32) -> Self {
        self.ts_ecr = Some(ecr);
        self
    }

    /// Overrides the IPv4 identification.
    pub fn ip_id(mut self, id: u16) -> Self {
        self.ip_id = Some(id);
        self
    }

    /// Takes the TS val from the clock at `t` instead of now.
    pub fn ts_clock(mut self, t: Duration) -> Self {
        self.ts_clock = Some(t);
        self
    }

    /// Adds SACK blocks (absolute sequence numbers).
    pub fn sack(mut self, blocks: &'a [(u32, u32)]) -> Self {
        self.sack = blocks;
        self
    }

    /// Recorded, but never reaches the peer (lost after the capture point,
    /// or thrown away by the peer unread).
    pub fn dropped(mut self) -> Self {
        self.dropped = true;
        self
    }

    /// Lost before the capture point: not recorded, never delivered.
    pub fn unseen(mut self) -> Self {
        self.unseen = true;
        self
    }
}

/// A TCP connection being captured at one of its ends.
#[derive(Debug)]
pub struct Conversation {
    client: Endpoint,
    server: Endpoint,
    now: Duration,
    link: Link,
    capture_at: Side,
    interface: u32,
    rtt: Duration,
    last_sender: Option<Side>,
    frames: Vec<Frame>,
    in_flight: VecDeque<Arrival>,
}

/// Host processing time before a near-side answer.
const TURNAROUND: Duration = Duration::from_micros(45);
/// Gap between back-to-back segments of one sender.
const BURST_GAP: Duration = Duration::from_micros(12);

impl Conversation {
    /// A conversation on Ethernet, captured at the client, starting at
    /// `start`, with a 1 ms round-trip time.
    pub fn new(client: Endpoint, server: Endpoint, start: Duration) -> Self {
        Conversation {
            client,
            server,
            now: start,
            link: Link::Ethernet,
            capture_at: Side::Client,
            interface: 0,
            rtt: Duration::from_millis(1),
            last_sender: None,
            frames: Vec::new(),
            in_flight: VecDeque::new(),
        }
    }

    /// Sets the link type.
    pub fn link(mut self, link: Link) -> Self {
        self.link = link;
        self
    }

    /// Changes the link of the frames sent from now on (a conversation seen
    /// through several encapsulations).
    pub fn set_link(&mut self, link: Link) {
        self.link = link;
    }

    /// Sets the round-trip time between the two ends.
    pub fn rtt_us(mut self, micros: u64) -> Self {
        self.rtt = Duration::from_micros(micros);
        self
    }

    /// Captures at the given end instead of the client.
    pub fn captured_at(mut self, side: Side) -> Self {
        self.capture_at = side;
        self
    }

    /// Records frames as coming from this pcapng interface.
    pub fn interface(mut self, interface: u32) -> Self {
        self.interface = interface;
        self
    }

    /// The capture clock.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Moves the capture clock forward to `t` (never backwards).
    pub fn advance_to(&mut self, t: Duration) -> &mut Self {
        if t > self.now {
            self.now = t;
        }
        self
    }

    /// Sets the window field of an end's later segments.
    pub fn set_window(&mut self, side: Side, window: u16) {
        self.endpoint_mut(side).window = window;
    }

    /// The end where the capture is taken.
    pub fn capture_side(&self) -> Side {
        self.capture_at
    }

    /// The round-trip time between the two ends.
    pub fn rtt(&self) -> Duration {
        self.rtt
    }

    /// One end.
    pub fn endpoint(&self, side: Side) -> &Endpoint {
        match side {
            Side::Client => &self.client,
            Side::Server => &self.server,
        }
    }

    fn endpoint_mut(&mut self, side: Side) -> &mut Endpoint {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }

    /// Advances the capture clock.
    pub fn wait_us(&mut self, micros: u64) -> &mut Self {
        self.now += Duration::from_micros(micros);
        self
    }

    /// Advances the capture clock.
    pub fn wait_ns(&mut self, nanos: u64) -> &mut Self {
        self.now += Duration::from_nanos(nanos);
        self
    }

    /// Advances the capture clock.
    pub fn wait_ms(&mut self, millis: u64) -> &mut Self {
        self.now += Duration::from_millis(millis);
        self
    }

    /// The frames captured so far.
    pub fn into_frames(self) -> Vec<Frame> {
        self.frames
    }

    /// Sends a segment right now.
    pub fn send(&mut self, from: Side, spec: Send) -> io::Result<()> {
        let to = from.peer();
        let now = self.now;
        let sender = self.endpoint(from).clone();
        let receiver = self.endpoint(to);
        let flags = spec.flags;
        let seq = spec.seq.unwrap_or(sender.snd_nxt);
        let ack = if flags.ack {
            spec.ack.unwrap_or(sender.rcv_nxt)
        } else {
            0
        };
        let ts_val = sender
            .ts_offset
            .map(|offset| offset.wrapping_add(millis_u32(spec.ts_clock.unwrap_or(now))));
        let ts_ecr = spec.ts_ecr.unwrap_or(sender.ts_recent);
        let mut options = match (spec.bare, flags.syn, ts_val, sender.syn_style) {
            (true, _, _, _) => Vec::new(),
            (false, true, _, SynStyle::Windows) => windows_syn_options(sender.mss, sender.wscale),
            (false, true, Some(v), SynStyle::Linux) => {
                linux_syn_options(sender.mss, v, ts_ecr, sender.wscale)
            }
            (false, true, None, SynStyle::Linux) => {
                linux_syn_options_no_ts(sender.mss, sender.wscale)
            }
            (false, false, Some(v), _) => ts_options(v, ts_ecr),
            (false, false, None, _) => Vec::new(),
        };
        if let Some((&first, rest)) = spec.sack.split_first() {
            let mut more = [None; 3];
            for (slot, block) in more.iter_mut().zip(rest) {
                *slot = Some(*block);
            }
            options.push(TcpOptionElement::Noop);
            options.push(TcpOptionElement::Noop);
            options.push(TcpOptionElement::SelectiveAcknowledgement(first, more));
        }
        let window = spec.window.unwrap_or(if flags.syn {
            sender.syn_window
        } else {
            sender.window
        });
        let segment = Segment {
            src: sender.addr,
            dst: receiver.addr,
            ttl: sender.ttl,
            ip_id: spec.ip_id.unwrap_or(sender.ip_id),
            flow_label: sender.flow_label,
            flags,
            seq,
            ack,
            window,
            options: &options,
            payload: spec.payload,
        };
        let hop = Hop {
            src_mac: sender.mac,
            dst_mac: receiver.mac,
            outgoing: from == self.capture_at,
        };
        let mut data = Vec::with_capacity(128 + spec.payload.len());
        self.link.frame(&hop, &segment, &mut data)?;
        if !spec.unseen {
            self.frames.push(Frame {
                ts: now,
                data,
                interface: self.interface,
            });
        }

        let len = u32::try_from(spec.payload.len()).map_err(io::Error::other)?;
        let end = seq.wrapping_add(len).wrapping_add(flags.control_len());
        let ep = self.endpoint_mut(from);
        ep.ip_id = ep.ip_id.wrapping_add(1);
        if seq_lt(ep.snd_nxt, end) {
            ep.snd_nxt = end;
        }
        let arrival = Arrival {
            to,
            seq,
            end,
            syn: flags.syn,
            ts_val: if spec.bare { None } else { ts_val },
        };
        if spec.dropped || spec.unseen {
            // Never reaches the peer.
        } else if spec.in_flight {
            self.in_flight.push_back(arrival);
        } else {
            self.arrive(arrival);
        }
        self.last_sender = Some(from);
        Ok(())
    }

    fn arrive(&mut self, a: Arrival) {
        let ep = self.endpoint_mut(a.to);
        // RFC 7323: only a segment that starts at or before the next
        // expected byte updates the timestamp to echo.
        let in_order = (a.syn && !ep.synced) || !seq_lt(ep.rcv_nxt, a.seq);
        if a.syn && !ep.synced {
            ep.rcv_nxt = a.end;
            ep.synced = true;
        } else if ep.synced && !seq_lt(ep.rcv_nxt, a.seq) && seq_lt(ep.rcv_nxt, a.end) {
            ep.rcv_nxt = a.end;
        } else if ep.synced && seq_lt(ep.rcv_nxt, a.seq) {
            ep.out_of_order.push((a.seq, a.end));
        }
        // Data that was waiting beyond a hole the new segment filled.
        while let Some(i) = ep
            .out_of_order
            .iter()
            .position(|&(s, _)| !seq_lt(ep.rcv_nxt, s))
        {
            let (_, end) = ep.out_of_order.swap_remove(i);
            if seq_lt(ep.rcv_nxt, end) {
                ep.rcv_nxt = end;
            }
        }
        if in_order && let Some(v) = a.ts_val {
            ep.ts_recent = v;
        }
    }

    /// The oldest segment still in flight reaches its receiver.
    pub fn arrive_one(&mut self) {
        if let Some(a) = self.in_flight.pop_front() {
            self.arrive(a);
        }
    }

    /// Every segment still in flight reaches its receiver.
    pub fn arrive_all(&mut self) {
        while let Some(a) = self.in_flight.pop_front() {
            self.arrive(a);
        }
    }

    /// Waits the natural time before `from` sends: a round trip when the far
    /// end answers the near end, a short turnaround when the near end
    /// answers, a serialisation gap inside a burst.
    fn pace(&mut self, from: Side) {
        let gap = match self.last_sender {
            None => Duration::ZERO,
            Some(last) if last == from => BURST_GAP,
            Some(last) if last == self.capture_at => self.rtt,
            Some(_) => TURNAROUND,
        };
        self.now += gap;
    }

    /// Waits the natural time, then sends `flags` with `payload`.
    pub fn step(&mut self, from: Side, flags: Flags, payload: &[u8]) -> io::Result<()> {
        self.step_with(from, Send::new(flags, payload))
    }

    /// Waits the natural time, then sends with overrides.
    pub fn step_with(&mut self, from: Side, spec: Send) -> io::Result<()> {
        self.pace(from);
        self.send(from, spec)
    }

    /// SYN, SYN+ACK, ACK.
    pub fn handshake(&mut self) -> io::Result<()> {
        self.step(Side::Client, Flags::SYN, b"")?;
        self.step(Side::Server, Flags::SYN_ACK, b"")?;
        self.step(Side::Client, Flags::ACK, b"")
    }

    /// `from` sends `data` in MSS-sized segments (PSH on the last one); the
    /// receiver acknowledges every second segment and the last one.
    pub fn transfer(&mut self, from: Side, data: &[u8]) -> io::Result<()> {
        self.send_data(from, data, true)
    }

    /// A request from the client answered by the server: the answer's first
    /// segment carries the acknowledgement of the request, the client
    /// acknowledges the answer.
    pub fn exchange(&mut self, request: &[u8], response: &[u8]) -> io::Result<()> {
        self.send_data(Side::Client, request, false)?;
        self.send_data(Side::Server, response, true)
    }

    fn send_data(&mut self, from: Side, data: &[u8], ack_last: bool) -> io::Result<()> {
        let peer_mss = self.endpoint(from.peer()).mss;
        let chunk = self.endpoint(from).max_payload(peer_mss).max(1);
        let pieces: Vec<&[u8]> = data.chunks(chunk).collect();
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            let last = i + 1 == count;
            let flags = if last { Flags::PSH_ACK } else { Flags::ACK };
            self.step(from, flags, piece)?;
            if (last && ack_last) || (!last && i % 2 == 1) {
                self.step(from.peer(), Flags::ACK, b"")?;
            }
        }
        Ok(())
    }

    /// `first` sends FIN, the peer acknowledges, then sends its own FIN,
    /// which `first` acknowledges.
    pub fn close(&mut self, first: Side) -> io::Result<()> {
        self.step(first, Flags::FIN_ACK, b"")?;
        self.step(first.peer(), Flags::ACK, b"")?;
        self.step(first.peer(), Flags::FIN_ACK, b"")?;
        self.step(first, Flags::ACK, b"")
    }
}
