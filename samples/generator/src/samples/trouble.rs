//! Teaching samples about what goes wrong on the wire, each showing one of
//! the problems Wireshark's TCP analysis names: a lost segment and its fast
//! retransmission, a retransmission after a timeout, segments that arrive
//! out of order, a zero window, keep-alives, SACK recovery of several
//! losses, and a spurious retransmission.
//!
//! The bulk transfers come from [`Flow`], a small event-driven model of a
//! sender (slow start, SACK loss recovery with proportional rate reduction,
//! tail loss probe, persist timer) and a receiver (an ACK for every second
//! full segment, a 40 ms delayed ACK, an immediate ACK with SACK blocks for
//! data beyond a hole, D-SACK for duplicates, a window that follows the
//! application's reading), run on the capture point's clock. The short
//! scenes are written out step by step.
//!
//! All are on Ethernet, on 2024-03-01 from 10:20 UTC.

use std::io;
use std::path::Path;
use std::time::Duration;

use super::notes;
use super::{at, http_get, text, v4};
use crate::conversation::{Conversation, Endpoint, Send, Side};
use crate::segment::Flags;
use crate::sink::{Frame, Note, write_pcapng_with_notes};

use Side::{Client, Server};

/// Every sample here teaches something, so each is pcapng with its notes.
fn write(path: &Path, frames: &[Frame], notes: &[Note]) -> io::Result<()> {
    write_pcapng_with_notes(path, frames, notes)
}

/// MAC address of the home router in front of remote servers.
const ROUTER: [u8; 6] = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10];

/// An HTTP/1.1 200 answer whose whole length (header and body) is exactly
/// `total` bytes.
fn http_ok_sized(total: usize, seed: u64) -> io::Result<Vec<u8>> {
    let header = super::http_ok(b"").len() - 1; // without the "0" of the length
    let mut body_len = total.saturating_sub(header + 1);
    // The length field's digit count changes the header; settle it.
    for _ in 0..4 {
        let digits = body_len.to_string().len();
        body_len = total.saturating_sub(header + digits);
    }
    let out = super::http_ok(&text(body_len, seed));
    if out.len() == total {
        Ok(out)
    } else {
        Err(io::Error::other("cannot size the HTTP answer"))
    }
}

// ---------------------------------------------------------------------------
// The transfer model
// ---------------------------------------------------------------------------

/// The receiving application stops reading for a while.
#[derive(Clone, Copy, Debug)]
struct Stall {
    /// Data offset from which the application stops reading.
    from: u32,
    /// How long after the receiver announced a zero window the application
    /// reads again.
    resume_after: Duration,
}

/// One bulk transfer on an open connection, in one direction.
#[derive(Clone, Debug)]
struct Flow<'d> {
    /// The end that sends the data.
    sender: Side,
    data: &'d [u8],
    /// Bottleneck rate in bits per second: spaces the sender's segments.
    rate_bps: u64,
    /// Time the sender takes before its first segment leaves.
    start_delay: Duration,
    /// Initial congestion window, in segments.
    initial_window: u32,
    /// First transmissions lost on the way (0 = the first data segment).
    lose: &'d [usize],
    /// Receiver ACKs lost on the way (0 = the receiver's first ACK).
    lose_acks: &'d [usize],
    /// Extra one-way delay of the first transmission of some segments.
    late: &'d [(usize, Duration)],
    /// Linux's tail loss probe: with no ACK for about two round trips, send
    /// the last segment again.
    tail_loss_probe: bool,
    stall: Option<Stall>,
    /// The window the receiver offers while its application keeps up, in
    /// bytes.
    rcv_window: u32,
    /// Window growth per ACK of new data (receive buffer autotuning).
    window_growth: u32,
    max_window: u32,
    /// After a pause longer than the RTO, start again from the initial
    /// window (RFC 5681 restart window).
    restart_after_idle: bool,
    /// First zero-window probe interval (it doubles after each probe).
    persist: Duration,
}

impl<'d> Flow<'d> {
    /// A Linux-like transfer of `data` from `sender`: 100 Mbit/s
    /// bottleneck, initial window 10, no losses, window 64256 bytes.
    fn new(sender: Side, data: &'d [u8]) -> Self {
        Flow {
            sender,
            data,
            rate_bps: 100_000_000,
            start_delay: Duration::from_micros(180),
            initial_window: 10,
            lose: &[],
            lose_acks: &[],
            late: &[],
            tail_loss_probe: false,
            stall: None,
            rcv_window: 64_256,
            window_growth: 0,
            max_window: 64_256,
            restart_after_idle: false,
            persist: Duration::from_millis(300),
        }
    }

    /// Runs the transfer on `c`, which must be open and idle.
    fn run(&self, c: &mut Conversation) -> io::Result<()> {
        Sim::new(c, self)?.run()
    }
}

/// What travels between the two ends (offsets are relative to the first
/// data byte).
#[derive(Clone, Debug)]
enum Pkt {
    Data {
        off: u32,
        len: u32,
        probe: bool,
    },
    Ack {
        ack: u32,
        win: u32,
        sack: Vec<(u32, u32)>,
    },
}

/// A frame's fields, fixed when it leaves its sender (a far end's frame is
/// recorded only when it reaches the capture point).
#[derive(Clone, Debug)]
struct Outgoing {
    flags: Flags,
    seq: u32,
    ack: u32,
    window: u16,
    ts_ecr: u32,
    ts_clock: Duration,
    ip_id: u16,
    sack: Vec<(u32, u32)>,
    payload: Option<(usize, usize)>,
    unseen: bool,
    dropped: bool,
}

#[derive(Clone, Debug)]
enum Ev {
    /// A packet leaves `from` (`lost` on the way, `extra` one-way delay).
    Depart {
        from: Side,
        pkt: Pkt,
        lost: bool,
        extra: Duration,
    },
    /// A packet reaches the other end (`None`: lost). `frame`: the far
    /// end's frame to record now; `pop`: deliver the near end's oldest
    /// in-flight segment to the model.
    Arrive {
        pkt: Option<Pkt>,
        frame: Option<Outgoing>,
        pop: bool,
    },
    SendAck,
    DelAck(u64),
    Tlp(u64),
    Persist(u64),
    Resume,
}

/// One segment the sender has sent.
#[derive(Clone, Copy, Debug)]
struct Seg {
    off: u32,
    len: u32,
    acked: bool,
    sacked: bool,
    lost: bool,
    retrans: bool,
}

/// Sender state.
#[derive(Debug)]
struct Tx {
    una: u32,
    nxt: u32,
    segs: Vec<Seg>,
    first_sends: usize,
    cwnd: u32,
    ssthresh: u32,
    /// Loss recovery: the `nxt` when it began.
    recovery: Option<u32>,
    prior_cwnd: u32,
    prr_delivered: u32,
    prr_out: u32,
    dupacks: u32,
    edge: u32,
    last_win: u32,
    link_free: Duration,
    last_data_sent: Duration,
    tlp_gen: u64,
    tlp_out: bool,
    persist_gen: u64,
    persist_armed: bool,
    persist_next: Duration,
}

/// Receiver state.
#[derive(Debug)]
struct Rx {
    nxt: u32,
    /// Data beyond holes, most recently changed block first (RFC 2018).
    ooo: Vec<(u32, u32)>,
    dsack: Option<(u32, u32)>,
    last_ack_sent: u32,
    unread: u32,
    stall: Option<Stall>,
    resume_scheduled: bool,
    edge: u32,
    window: u32,
    ack_pending: bool,
    delack_gen: u64,
    delack_armed: bool,
    acks_sent: usize,
    link_free: Duration,
}

/// The receiver's processing time before an ACK.
const ACK_DELAY: Duration = Duration::from_micros(18);
/// The sender's processing time before it answers an ACK.
const HOST_DELAY: Duration = Duration::from_micros(9);
/// Linux's delayed-ACK timer (minimum).
const DELAYED_ACK: Duration = Duration::from_millis(40);

fn side_index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
    }
}

struct Sim<'a, 'd> {
    c: &'a mut Conversation,
    f: &'a Flow<'d>,
    near: Side,
    sender: Side,
    receiver: Side,
    one_way: Duration,
    tx_base: u32,
    rx_base: u32,
    mss: u32,
    rx_wscale: u8,
    max_blocks: usize,
    queue: Vec<(Duration, u64, Ev)>,
    order: u64,
    now: Duration,
    ip_id: [u16; 2],
    tx: Tx,
    rx: Rx,
}

impl<'a, 'd> Sim<'a, 'd> {
    fn new(c: &'a mut Conversation, f: &'a Flow<'d>) -> io::Result<Self> {
        let sender = f.sender;
        let receiver = sender.peer();
        let near = c.capture_side();
        let s = c.endpoint(sender);
        let r = c.endpoint(receiver);
        let mss = u32::try_from(s.max_payload(r.mss)).map_err(io::Error::other)?;
        let ts_on = s.ts_offset.is_some() && r.ts_offset.is_some();
        let tx_base = s.snd_nxt();
        let rx_base = r.rcv_nxt();
        if tx_base != rx_base {
            return Err(io::Error::other("flow must start on an idle connection"));
        }
        let rx_wscale = r.wscale;
        let ip_id = [c.endpoint(Client).ip_id, c.endpoint(Server).ip_id];
        let now = c.now();
        let window = f.rcv_window;
        let tx = Tx {
            una: 0,
            nxt: 0,
            segs: Vec::new(),
            first_sends: 0,
            cwnd: f.initial_window,
            ssthresh: u32::MAX,
            recovery: None,
            prior_cwnd: 0,
            prr_delivered: 0,
            prr_out: 0,
            dupacks: 0,
            edge: window,
            last_win: window,
            link_free: now,
            last_data_sent: now,
            tlp_gen: 0,
            tlp_out: false,
            persist_gen: 0,
            persist_armed: false,
            persist_next: f.persist,
        };
        let rx = Rx {
            nxt: 0,
            ooo: Vec::new(),
            dsack: None,
            last_ack_sent: 0,
            unread: 0,
            stall: f.stall,
            resume_scheduled: false,
            edge: window,
            window,
            ack_pending: false,
            delack_gen: 0,
            delack_armed: false,
            acks_sent: 0,
            link_free: now,
        };
        Ok(Sim {
            c,
            f,
            near,
            sender,
            receiver,
            one_way: Duration::ZERO,
            tx_base,
            rx_base,
            mss,
            rx_wscale,
            max_blocks: if ts_on { 3 } else { 4 },
            queue: Vec::new(),
            order: 0,
            now,
            ip_id,
            tx,
            rx,
        })
    }

    fn schedule(&mut self, t: Duration, ev: Ev) {
        self.order += 1;
        self.queue.push((t, self.order, ev));
    }

    fn run(mut self) -> io::Result<()> {
        self.one_way = self.c.rtt() / 2;
        self.now += self.f.start_delay;
        self.tx.link_free = self.now;
        self.send_allowed()?;
        while !self.queue.is_empty() {
            let mut best = 0;
            for (i, e) in self.queue.iter().enumerate() {
                let b = &self.queue[best];
                if (e.0, e.1) < (b.0, b.1) {
                    best = i;
                }
            }
            let (t, _, ev) = self.queue.swap_remove(best);
            self.now = t;
            self.handle(ev)?;
        }
        if (self.tx.una as usize) < self.f.data.len() {
            return Err(io::Error::other("transfer model stalled"));
        }
        let field = (self.rx.edge.saturating_sub(self.rx.nxt) >> self.rx_wscale).min(65_535);
        self.c.set_window(self.receiver, field as u16);
        Ok(())
    }

    fn handle(&mut self, ev: Ev) -> io::Result<()> {
        match ev {
            Ev::Depart {
                from,
                pkt,
                lost,
                extra,
            } => self.depart(from, pkt, lost, extra),
            Ev::Arrive { pkt, frame, pop } => {
                if let Some(fr) = frame {
                    self.record_far(fr)?;
                }
                if pop {
                    self.c.arrive_one();
                }
                match pkt {
                    Some(Pkt::Data { off, len, probe }) => self.rx_data(off, len, probe),
                    Some(Pkt::Ack { ack, win, sack }) => self.tx_ack(ack, win, &sack),
                    None => Ok(()),
                }
            }
            Ev::SendAck => self.send_ack(),
            Ev::DelAck(generation) => {
                if self.rx.delack_armed && generation == self.rx.delack_gen {
                    self.rx.delack_armed = false;
                    self.ack_now();
                }
                Ok(())
            }
            Ev::Tlp(generation) => self.tlp(generation),
            Ev::Persist(generation) => self.probe(generation),
            Ev::Resume => {
                self.rx.stall = None;
                self.rx.unread = 0;
                self.ack_now();
                Ok(())
            }
        }
    }

    // ----- the wire ------------------------------------------------------

    fn depart(&mut self, from: Side, pkt: Pkt, lost: bool, extra: Duration) -> io::Result<()> {
        let idx = side_index(from);
        let ip_id = self.ip_id[idx];
        self.ip_id[idx] = ip_id.wrapping_add(1);
        let ep = self.c.endpoint(from);
        let (flags, seq, ack, window, sack, payload, probe) = match &pkt {
            Pkt::Data { off, len, probe } => {
                let end = (off + len) as usize;
                let last = end == self.f.data.len() && !probe;
                let flags = if last { Flags::PSH_ACK } else { Flags::ACK };
                (
                    flags,
                    self.tx_base.wrapping_add(*off),
                    ep.rcv_nxt(),
                    ep.window,
                    Vec::new(),
                    Some((*off as usize, end)),
                    *probe,
                )
            }
            Pkt::Ack { ack, win, sack } => {
                let field = (win >> self.rx_wscale).min(65_535) as u16;
                let blocks = sack
                    .iter()
                    .map(|&(l, r)| (self.rx_base.wrapping_add(l), self.rx_base.wrapping_add(r)))
                    .collect();
                (
                    Flags::ACK,
                    ep.snd_nxt(),
                    self.rx_base.wrapping_add(*ack),
                    field,
                    blocks,
                    None,
                    false,
                )
            }
        };
        let frame = Outgoing {
            flags,
            seq,
            ack,
            window,
            ts_ecr: ep.ts_recent(),
            ts_clock: self.now,
            ip_id,
            sack,
            payload,
            unseen: false,
            dropped: false,
        };
        let arrival = self.now + self.one_way + extra;
        if from == self.near {
            // Recorded as it leaves; the model hears of it on arrival.
            let frame = Outgoing {
                dropped: lost || probe,
                ..frame
            };
            self.record(from, &frame, !(lost || probe))?;
            if !lost {
                self.schedule(
                    arrival,
                    Ev::Arrive {
                        pkt: Some(pkt),
                        frame: None,
                        pop: !probe,
                    },
                );
            }
        } else {
            // Recorded when (if) it reaches the capture point.
            let frame = Outgoing {
                ts_clock: self.now + self.one_way,
                unseen: lost,
                dropped: probe,
                ..frame
            };
            self.schedule(
                arrival,
                Ev::Arrive {
                    pkt: if lost { None } else { Some(pkt) },
                    frame: Some(frame),
                    pop: false,
                },
            );
        }
        Ok(())
    }

    fn record_far(&mut self, fr: Outgoing) -> io::Result<()> {
        let from = self.near.peer();
        self.record(from, &fr, false)
    }

    fn record(&mut self, from: Side, fr: &Outgoing, in_flight: bool) -> io::Result<()> {
        let data = self.f.data;
        let payload = match fr.payload {
            Some((a, b)) => data.get(a..b).unwrap_or_default(),
            None => &[],
        };
        let mut spec = Send::new(fr.flags, payload)
            .seq(fr.seq)
            .ack(fr.ack)
            .window(fr.window)
            .ts_ecr(fr.ts_ecr)
            .ts_clock(fr.ts_clock)
            .ip_id(fr.ip_id)
            .sack(&fr.sack);
        if fr.unseen {
            spec = spec.unseen();
        }
        if fr.dropped {
            spec = spec.dropped();
        }
        if in_flight {
            spec = spec.in_flight();
        }
        self.c.advance_to(self.now);
        self.c.send(from, spec)
    }

    /// Bits on the bottleneck for a segment of `len` payload bytes
    /// (headers, FCS, preamble and gap included).
    fn wire_time(&self, len: u32) -> Duration {
        let bits = u64::from(len + 90) * 8;
        Duration::from_nanos(bits * 1_000_000_000 / self.f.rate_bps)
    }

    // ----- sender --------------------------------------------------------

    fn outstanding(&self) -> impl Iterator<Item = &Seg> {
        self.tx.segs.iter().filter(|s| !s.acked)
    }

    /// Segments believed to be in the network (RFC 6675 "pipe").
    fn pipe(&self) -> u32 {
        self.outstanding()
            .filter(|s| !s.sacked && (!s.lost || s.retrans))
            .count() as u32
    }

    /// Length of the next new segment, if the window allows one.
    fn next_new_len(&self) -> Option<u32> {
        let total = self.f.data.len() as u32;
        if self.tx.nxt >= total {
            return None;
        }
        let usable = self.tx.edge.saturating_sub(self.tx.nxt);
        let len = self.mss.min(total - self.tx.nxt).min(usable);
        (len > 0).then_some(len)
    }

    fn transmit_data(&mut self, off: u32, len: u32, lost: bool, extra: Duration, probe: bool) {
        let t = (self.now + HOST_DELAY).max(self.tx.link_free);
        self.tx.link_free = t + self.wire_time(len);
        self.tx.last_data_sent = t;
        self.schedule(
            t,
            Ev::Depart {
                from: self.sender,
                pkt: Pkt::Data { off, len, probe },
                lost,
                extra,
            },
        );
    }

    fn send_new(&mut self) -> bool {
        let Some(len) = self.next_new_len() else {
            return false;
        };
        let n = self.tx.first_sends;
        self.tx.first_sends += 1;
        let off = self.tx.nxt;
        self.tx.nxt += len;
        self.tx.segs.push(Seg {
            off,
            len,
            acked: false,
            sacked: false,
            lost: false,
            retrans: false,
        });
        let lost = self.f.lose.contains(&n);
        let extra = self
            .f
            .late
            .iter()
            .find(|(i, _)| *i == n)
            .map_or(Duration::ZERO, |(_, d)| *d);
        self.transmit_data(off, len, lost, extra, false);
        true
    }

    fn send_retransmission(&mut self) -> bool {
        let Some(i) = self
            .tx
            .segs
            .iter()
            .position(|s| !s.acked && !s.sacked && s.lost && !s.retrans)
        else {
            return false;
        };
        let seg = &mut self.tx.segs[i];
        seg.retrans = true;
        let (off, len) = (seg.off, seg.len);
        self.transmit_data(off, len, false, Duration::ZERO, false);
        true
    }

    /// Sends what the congestion window and the peer's window allow.
    fn send_allowed(&mut self) -> io::Result<()> {
        if self.tx.recovery.is_none() {
            while self.pipe() < self.tx.cwnd && self.send_new() {}
        }
        self.arm_timers();
        Ok(())
    }

    fn arm_timers(&mut self) {
        let outstanding = self.tx.una < self.tx.nxt;
        if self.f.tail_loss_probe && outstanding && self.tx.recovery.is_none() && !self.tx.tlp_out {
            self.tx.tlp_gen += 1;
            let packets = self.outstanding().count();
            let srtt = self.c.rtt();
            let extra = if packets == 1 {
                Duration::from_millis(200)
            } else {
                Duration::from_millis(2)
            };
            let generation = self.tx.tlp_gen;
            self.schedule(self.now + srtt * 2 + extra, Ev::Tlp(generation));
        }
        let window_closed = self.tx.edge <= self.tx.nxt;
        let more = (self.tx.nxt as usize) < self.f.data.len();
        if window_closed && more && !outstanding && !self.tx.persist_armed {
            self.tx.persist_armed = true;
            self.tx.persist_gen += 1;
            let generation = self.tx.persist_gen;
            self.schedule(self.now + self.tx.persist_next, Ev::Persist(generation));
        }
    }

    fn tlp(&mut self, generation: u64) -> io::Result<()> {
        if generation != self.tx.tlp_gen || self.tx.una >= self.tx.nxt || self.tx.tlp_out {
            return Ok(());
        }
        self.tx.tlp_out = true;
        if !self.send_new()
            && let Some(seg) = self.tx.segs.iter().rev().find(|s| !s.acked).copied()
        {
            self.transmit_data(seg.off, seg.len, false, Duration::ZERO, false);
        }
        Ok(())
    }

    /// Zero-window probe: one new byte (as Windows and BSD stacks send it).
    fn probe(&mut self, generation: u64) -> io::Result<()> {
        if !self.tx.persist_armed || generation != self.tx.persist_gen {
            return Ok(());
        }
        let off = self.tx.nxt;
        self.transmit_data(off, 1, false, Duration::ZERO, true);
        self.tx.persist_next *= 2;
        self.tx.persist_gen += 1;
        let generation = self.tx.persist_gen;
        self.schedule(self.now + self.tx.persist_next, Ev::Persist(generation));
        Ok(())
    }

    fn tx_ack(&mut self, ack: u32, win: u32, sack: &[(u32, u32)]) -> io::Result<()> {
        let mut delivered = 0u32;
        let window_opened = self.tx.edge <= self.tx.nxt && ack + win > self.tx.nxt;
        if ack > self.tx.una {
            let mut newly = 0;
            for s in self.tx.segs.iter_mut() {
                if !s.acked && s.off + s.len <= ack {
                    s.acked = true;
                    newly += 1;
                    if !s.sacked {
                        delivered += 1;
                    }
                }
            }
            self.tx.una = ack;
            self.tx.dupacks = 0;
            self.tx.tlp_out = false;
            match self.tx.recovery {
                Some(point) if ack >= point => {
                    self.tx.recovery = None;
                    self.tx.cwnd = self.tx.ssthresh;
                }
                Some(_) => {}
                None => {
                    if self.tx.cwnd < self.tx.ssthresh {
                        self.tx.cwnd += newly;
                    }
                }
            }
        } else if ack == self.tx.una && self.tx.nxt > self.tx.una && win == self.tx.last_win {
            self.tx.dupacks += 1;
        }
        self.tx.edge = ack + win;
        self.tx.last_win = win;
        for &(l, r) in sack.iter().filter(|&&(_, r)| r > ack) {
            for s in self.tx.segs.iter_mut() {
                if !s.acked && !s.sacked && s.off >= l && s.off + s.len <= r {
                    s.sacked = true;
                    delivered += 1;
                }
            }
        }
        // RFC 6675 IsLost: three SACKed segments above it.
        let sacked: Vec<u32> = self
            .outstanding()
            .filter(|s| s.sacked)
            .map(|s| s.off)
            .collect();
        let mut any_lost = false;
        for s in self.tx.segs.iter_mut() {
            if !s.acked && !s.sacked && !s.lost {
                let above = sacked.iter().filter(|&&o| o > s.off).count();
                if above >= 3 {
                    s.lost = true;
                }
            }
            any_lost |= !s.acked && s.lost && !s.retrans;
        }
        let mut entering = false;
        if self.tx.recovery.is_none() && (self.tx.dupacks >= 3 || any_lost) {
            if let Some(first) = self.tx.segs.iter_mut().find(|s| !s.acked && !s.sacked) {
                first.lost = true;
            }
            self.tx.prior_cwnd = self.tx.cwnd.max(1);
            self.tx.ssthresh = (self.tx.cwnd * 7 / 10).max(2);
            self.tx.recovery = Some(self.tx.nxt);
            self.tx.prr_delivered = 0;
            self.tx.prr_out = 0;
            self.tx.tlp_gen += 1;
            entering = true;
        }
        if self.tx.recovery.is_some() {
            // Proportional rate reduction (RFC 6937).
            self.tx.prr_delivered += delivered;
            let pipe = self.pipe();
            let ssthresh = self.tx.ssthresh;
            let mut sndcnt = if pipe > ssthresh {
                let allowed = (u64::from(self.tx.prr_delivered) * u64::from(ssthresh))
                    .div_ceil(u64::from(self.tx.prior_cwnd));
                (allowed as u32).saturating_sub(self.tx.prr_out)
            } else {
                let limit = self
                    .tx
                    .prr_delivered
                    .saturating_sub(self.tx.prr_out)
                    .max(delivered)
                    + 1;
                (ssthresh - pipe).min(limit)
            };
            if entering {
                sndcnt = sndcnt.max(1);
            }
            for _ in 0..sndcnt {
                if !(self.send_retransmission() || self.send_new()) {
                    break;
                }
                self.tx.prr_out += 1;
            }
            self.arm_timers();
            return Ok(());
        }
        if window_opened && win > 0 {
            self.tx.persist_armed = false;
            self.tx.persist_gen += 1;
            let rto = Duration::from_millis(300);
            if self.f.restart_after_idle && self.now - self.tx.last_data_sent > rto {
                self.tx.cwnd = self.tx.cwnd.min(self.f.initial_window);
            }
        }
        self.send_allowed()
    }

    // ----- receiver ------------------------------------------------------

    fn ack_now(&mut self) {
        if !self.rx.ack_pending {
            self.rx.ack_pending = true;
            let t = (self.now + ACK_DELAY).max(self.rx.link_free);
            self.schedule(t, Ev::SendAck);
        }
    }

    fn rx_data(&mut self, off: u32, len: u32, probe: bool) -> io::Result<()> {
        if probe && self.rx.edge <= self.rx.nxt {
            // Window closed: the probe byte is dropped, the ACK repeats
            // the zero window.
            self.ack_now();
            return Ok(());
        }
        let end = off + len;
        if end <= self.rx.nxt {
            self.rx.dsack = Some((off, end));
            self.ack_now();
        } else if off > self.rx.nxt {
            // Beyond a hole: remember it, most recent block first.
            let mut block = (off, end);
            self.rx.ooo.retain(|&(l, r)| {
                if r >= block.0 && l <= block.1 {
                    block = (block.0.min(l), block.1.max(r));
                    false
                } else {
                    true
                }
            });
            self.rx.ooo.insert(0, block);
            self.ack_now();
        } else {
            let had_hole = !self.rx.ooo.is_empty();
            let start = self.rx.nxt;
            self.rx.nxt = end;
            while let Some(i) = self.rx.ooo.iter().position(|&(l, _)| l <= self.rx.nxt) {
                let (_, r) = self.rx.ooo.remove(i);
                self.rx.nxt = self.rx.nxt.max(r);
            }
            if let Some(stall) = self.rx.stall {
                let unread_from = start.max(stall.from);
                self.rx.unread += self.rx.nxt.saturating_sub(unread_from);
            }
            if had_hole || self.rx.nxt - self.rx.last_ack_sent > self.mss {
                self.ack_now();
            } else if !self.rx.delack_armed {
                self.rx.delack_armed = true;
                self.rx.delack_gen += 1;
                let generation = self.rx.delack_gen;
                self.schedule(self.now + DELAYED_ACK, Ev::DelAck(generation));
            }
        }
        Ok(())
    }

    fn send_ack(&mut self) -> io::Result<()> {
        self.rx.ack_pending = false;
        self.rx.delack_armed = false;
        self.rx.delack_gen += 1;
        let unit = 1u32 << self.rx_wscale;
        if self.rx.nxt > self.rx.last_ack_sent {
            self.rx.window = (self.rx.window + self.f.window_growth).min(self.f.max_window);
        }
        // Linux: offer what is free, but never pull the right edge back.
        let free = self.rx.window.saturating_sub(self.rx.unread);
        let new_win = if free < self.mss {
            0
        } else {
            free / unit * unit
        };
        let cur_win = self.rx.edge.saturating_sub(self.rx.nxt);
        let win = if new_win < cur_win {
            cur_win.div_ceil(unit) * unit
        } else {
            new_win
        };
        self.rx.edge = self.rx.nxt + win;
        let mut blocks: Vec<(u32, u32)> = self.rx.dsack.take().into_iter().collect();
        blocks.extend(self.rx.ooo.iter().copied());
        blocks.truncate(self.max_blocks);
        self.rx.last_ack_sent = self.rx.nxt;
        let n = self.rx.acks_sent;
        self.rx.acks_sent += 1;
        let t = self.now;
        self.rx.link_free = t + Duration::from_micros(1);
        if win == 0
            && let Some(stall) = self.rx.stall
            && !self.rx.resume_scheduled
        {
            self.rx.resume_scheduled = true;
            self.schedule(t + stall.resume_after, Ev::Resume);
        }
        let lost = self.f.lose_acks.contains(&n);
        self.depart(
            self.receiver,
            Pkt::Ack {
                ack: self.rx.nxt,
                win,
                sack: blocks,
            },
            lost,
            Duration::ZERO,
        )
    }
}

// ---------------------------------------------------------------------------
// The samples
// ---------------------------------------------------------------------------

/// A download from a web server 14 ms away, captured at the client. The
/// server's 26th data segment is lost before it reaches the client: the
/// next four arrive anyway and each gets an immediate duplicate ACK (with
/// a SACK block for what did arrive). After the third, the server
/// fast-retransmits the missing segment; its ACK jumps to the end.
pub fn lost_segment_fast_retransmit(path: &Path) -> io::Result<()> {
    write(
        path,
        &lost_segment_fast_retransmit_frames()?,
        notes::LOST_SEGMENT_FAST_RETRANSMIT,
    )
}

fn lost_segment_fast_retransmit_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 50_412), 3_826_115_290);
    let server = Endpoint::new(v4(203, 0, 113, 80, 80), 1_044_862_177)
        .mac(ROUTER)
        .ttl(54)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(20, 0, 0)).rtt_us(14_000);
    c.handshake()?;
    c.step(
        Client,
        Flags::PSH_ACK,
        &http_get("203.0.113.80", "/files/report.txt"),
    )?;
    let answer = http_ok_sized(30 * 1448, 41)?;
    let mut flow = Flow::new(Server, &answer);
    flow.lose = &[25];
    flow.window_growth = 2_944;
    flow.max_window = 3_000 * 128;
    flow.run(&mut c)?;
    c.wait_ms(4);
    c.close(Client)?;
    Ok(c.into_frames())
}

/// An API call from a laptop to a server 20 ms away, captured at the
/// laptop. The request leaves (so it is in the capture) but is lost on the
/// way. No ACK comes; after Linux's retransmission timeout (about srtt +
/// 200 ms = 220 ms) the laptop sends the same bytes again, with the same
/// sequence number and a newer TS val. This time the server answers.
pub fn timeout_retransmission(path: &Path) -> io::Result<()> {
    write(
        path,
        &timeout_retransmission_frames()?,
        notes::TIMEOUT_RETRANSMISSION,
    )
}

fn timeout_retransmission_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 44_718), 2_377_090_146);
    let server = Endpoint::new(v4(198, 51, 100, 23, 8080), 3_108_455_771)
        .mac(ROUTER)
        .ttl(52)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(21, 0, 0)).rtt_us(20_000);
    c.handshake()?;
    let request = b"POST /api/v1/orders HTTP/1.1\r\nHost: 198.51.100.23:8080\r\n\
        User-Agent: python-requests/2.31.0\r\nContent-Type: application/json\r\n\
        Content-Length: 44\r\n\r\n{\"item\": \"tcp-ladder poster\", \"quantity\": 2}";
    let seq = c.endpoint(Client).snd_nxt();
    c.wait_ms(2);
    c.step_with(Client, Send::new(Flags::PSH_ACK, request).dropped())?;
    c.wait_us(220_480);
    c.send(Client, Send::new(Flags::PSH_ACK, request).seq(seq))?;
    let body = b"{\"order\": 80213, \"status\": \"accepted\"}\n";
    let answer = format!(
        "HTTP/1.1 201 Created\r\nServer: nginx/1.24.0\r\nDate: Fri, 01 Mar 2024 10:21:00 GMT\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(body);
    c.wait_ms(1);
    c.step(Server, Flags::PSH_ACK, &answer)?;
    c.step(Client, Flags::ACK, b"")?;
    c.wait_ms(5);
    c.close(Client)?;
    Ok(c.into_frames())
}

/// A download captured at the client, 30 ms from the server. Two data
/// segments take different paths and arrive swapped, 60 microseconds
/// apart: the client first sees a gap (and sends a duplicate ACK with a
/// SACK block), then the missing segment arrives and the ACK jumps.
/// Nothing is retransmitted: one duplicate ACK is not enough for that.
pub fn out_of_order(path: &Path) -> io::Result<()> {
    write(path, &out_of_order_frames()?, notes::OUT_OF_ORDER)
}

fn out_of_order_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 58_230), 1_650_331_207);
    let server = Endpoint::new(v4(203, 0, 113, 45, 80), 2_990_517_364)
        .mac(ROUTER)
        .ttl(51)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(22, 0, 0)).rtt_us(30_000);
    c.handshake()?;
    c.step(
        Client,
        Flags::PSH_ACK,
        &http_get("203.0.113.45", "/docs/tcp-notes.txt"),
    )?;
    let answer = http_ok_sized(24 * 1448, 43)?;
    let late = [(14, Duration::from_micros(180))];
    let mut flow = Flow::new(Server, &answer);
    flow.late = &late;
    flow.window_growth = 2_944;
    flow.max_window = 3_000 * 128;
    flow.run(&mut c)?;
    c.wait_ms(3);
    c.close(Client)?;
    Ok(c.into_frames())
}

/// A Windows PC uploads a file to a Linux server on the LAN, captured on
/// the PC. The server application (with a small receive buffer, so window
/// scale 0) stops reading after 12 KB: the server's window shrinks with
/// every ACK, the PC fills what is left (window full) and the server
/// announces a zero window. The PC probes with one byte after 0.3, 0.9
/// and 2.1 s (the persist timer doubles); each probe is answered with the
/// zero window again. At 2.5 s the application reads, the server sends a
/// window update and the upload goes on from the initial window.
pub fn zero_window(path: &Path) -> io::Result<()> {
    write(path, &zero_window_frames()?, notes::ZERO_WINDOW)
}

fn zero_window_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::windows_host(v4(192, 168, 1, 15, 51_877), 906_215_430)
        .mac([0x3c, 0x52, 0x82, 0x1a, 0x7e, 0x05]);
    let server = Endpoint::new(v4(192, 168, 1, 20, 8080), 2_204_871_902)
        .no_timestamps()
        .wscale(0)
        .windows(32_120, 32_120);
    let mut c = Conversation::new(client, server, at(23, 0, 0)).rtt_us(800);
    c.handshake()?;
    let body = text(60_000, 44);
    let mut upload = format!(
        "PUT /backup/photos-2024-02.tar HTTP/1.1\r\nHost: 192.168.1.20:8080\r\n\
         User-Agent: BackupAgent/3.2 (Windows NT 10.0)\r\nContent-Type: application/x-tar\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    upload.extend_from_slice(&body);
    let mut flow = Flow::new(Client, &upload);
    flow.rate_bps = 1_000_000_000;
    flow.start_delay = Duration::from_micros(60);
    flow.rcv_window = 32_120;
    flow.max_window = 32_120;
    flow.stall = Some(Stall {
        from: 12_000,
        resume_after: Duration::from_millis(2_500),
    });
    flow.restart_after_idle = true;
    flow.persist = Duration::from_millis(300);
    flow.run(&mut c)?;
    c.wait_ms(6);
    c.step(
        Server,
        Flags::PSH_ACK,
        b"HTTP/1.1 201 Created\r\nServer: backupd/1.4\r\nContent-Length: 0\r\n\r\n",
    )?;
    c.step(Client, Flags::ACK, b"")?;
    c.wait_ms(2);
    c.close(Client)?;
    Ok(c.into_frames())
}

/// An idle Redis connection, captured at the client. Both ends have TCP
/// keep-alive on: the server probes after 15 s of silence, the client
/// after 20 s. A probe repeats the last byte's sequence number minus one
/// with no data (Linux style), so the peer must answer with an ACK; the
/// answer is the "keep-alive ACK". A probe does not count as traffic for
/// the receiver's own timer, so the two clocks stay apart. After 52 s the
/// client sends a command again.
pub fn keep_alive(path: &Path) -> io::Result<()> {
    write(path, &keep_alive_frames()?, notes::KEEP_ALIVE)
}

fn keep_alive_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 36_512), 4_112_904_617);
    let server = Endpoint::new(v4(192, 168, 1, 30, 6379), 1_383_220_954).windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(24, 0, 0)).rtt_us(350);
    c.handshake()?;
    c.exchange(b"*1\r\n$4\r\nPING\r\n", b"+PONG\r\n")?;
    let idle_from = c.now();
    // (seconds after the last data, who probes, extra microseconds)
    let probes = [
        (15, Server, 1_912),
        (20, Client, 2_305),
        (30, Server, 2_240),
        (40, Client, 2_671),
        (45, Server, 2_587),
    ];
    for (secs, who, jitter_us) in probes {
        let t = idle_from + Duration::from_secs(secs) + Duration::from_micros(jitter_us);
        c.advance_to(t);
        let seq = c.endpoint(who).snd_nxt().wrapping_sub(1);
        // The probe is outside the window: the peer answers but ignores it.
        c.send(who, Send::new(Flags::ACK, b"").seq(seq).dropped())?;
        let answer_after = if who == Client { 350 } else { 41 };
        c.wait_us(answer_after);
        c.send(who.peer(), Send::new(Flags::ACK, b""))?;
    }
    c.advance_to(idle_from + Duration::from_secs(52) + Duration::from_micros(480_113));
    c.send(
        Client,
        Send::new(Flags::PSH_ACK, b"*2\r\n$3\r\nGET\r\n$7\r\ncounter\r\n"),
    )?;
    c.step(Server, Flags::PSH_ACK, b"$2\r\n42\r\n")?;
    c.step(Client, Flags::ACK, b"")?;
    c.wait_ms(1);
    c.close(Client)?;
    Ok(c.into_frames())
}

/// A larger download captured at the client, 16 ms from the server, with
/// three segments of one flight lost. The client's ACKs carry up to three
/// SACK blocks (the islands of data that did arrive); the server resends
/// only the three holes, one after the other, while new data keeps
/// flowing.
pub fn sack(path: &Path) -> io::Result<()> {
    write(path, &sack_frames()?, notes::SACK)
}

fn sack_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 47_760), 2_718_459_003);
    let server = Endpoint::new(v4(203, 0, 113, 120, 80), 3_530_906_112)
        .mac(ROUTER)
        .ttl(53)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(25, 0, 0)).rtt_us(16_000);
    c.handshake()?;
    c.step(
        Client,
        Flags::PSH_ACK,
        &http_get("203.0.113.120", "/data/measurements.csv"),
    )?;
    let answer = http_ok_sized(48 * 1448, 45)?;
    let mut flow = Flow::new(Server, &answer);
    flow.lose = &[14, 20, 26];
    flow.window_growth = 2_944;
    flow.max_window = 3_000 * 128;
    flow.run(&mut c)?;
    c.wait_ms(4);
    c.close(Client)?;
    Ok(c.into_frames())
}

/// A small download captured at the client, 30 ms from the server. The
/// client's last ACK is lost on its way back. The server, hearing nothing
/// for two round trips, sends its last segment again (Linux's tail loss
/// probe). The client already had it and had acknowledged it: a spurious
/// retransmission. The client answers with a duplicate ACK carrying a
/// D-SACK block (a SACK block below the ACK number: "I got this twice").
pub fn spurious_retransmission(path: &Path) -> io::Result<()> {
    write(
        path,
        &spurious_retransmission_frames()?,
        notes::SPURIOUS_RETRANSMISSION,
    )
}

fn spurious_retransmission_frames() -> io::Result<Vec<Frame>> {
    let client = Endpoint::new(v4(192, 168, 1, 10, 53_018), 609_287_554);
    let server = Endpoint::new(v4(198, 51, 100, 61, 80), 2_448_615_390)
        .mac(ROUTER)
        .ttl(49)
        .windows(65_160, 509);
    let mut c = Conversation::new(client, server, at(26, 0, 0)).rtt_us(30_000);
    c.handshake()?;
    c.step(
        Client,
        Flags::PSH_ACK,
        &http_get("198.51.100.61", "/index.html"),
    )?;
    let answer = http_ok_sized(8 * 1448, 46)?;
    let mut flow = Flow::new(Server, &answer);
    flow.lose_acks = &[3];
    flow.tail_loss_probe = true;
    flow.window_growth = 2_944;
    flow.max_window = 3_000 * 128;
    flow.run(&mut c)?;
    c.wait_ms(5);
    c.close(Client)?;
    Ok(c.into_frames())
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::{SlicedPacket, TransportSlice};

    /// `(seq, payload length, window field)` of every TCP segment from
    /// `port`.
    fn segments_from(frames: &[Frame], port: u16) -> io::Result<Vec<(u32, usize, u16)>> {
        let mut out = Vec::new();
        for f in frames {
            let p = SlicedPacket::from_ethernet(&f.data).map_err(io::Error::other)?;
            if let Some(TransportSlice::Tcp(tcp)) = p.transport
                && tcp.source_port() == port
            {
                out.push((
                    tcp.sequence_number(),
                    tcp.payload().len(),
                    tcp.window_size(),
                ));
            }
        }
        Ok(out)
    }

    /// Sequence numbers of data segments that were sent more than once.
    fn repeated(segs: &[(u32, usize, u16)]) -> Vec<u32> {
        let mut seen = Vec::new();
        let mut again = Vec::new();
        for &(seq, _, _) in segs.iter().filter(|s| s.1 > 0) {
            if seen.contains(&seq) {
                again.push(seq);
            } else {
                seen.push(seq);
            }
        }
        again
    }

    #[test]
    fn http_answer_has_the_asked_length() -> io::Result<()> {
        for total in [1_448, 8 * 1_448, 30 * 1_448, 48 * 1_448] {
            assert_eq!(http_ok_sized(total, 1)?.len(), total);
        }
        Ok(())
    }

    #[test]
    fn samples_are_deterministic() -> io::Result<()> {
        let builders: [fn() -> io::Result<Vec<Frame>>; 7] = [
            lost_segment_fast_retransmit_frames,
            timeout_retransmission_frames,
            out_of_order_frames,
            zero_window_frames,
            keep_alive_frames,
            sack_frames,
            spurious_retransmission_frames,
        ];
        for build in builders {
            let a = build()?;
            assert_eq!(a, build()?);
            assert!(a.windows(2).all(|w| w[0].ts <= w[1].ts), "time goes back");
        }
        Ok(())
    }

    /// Data segments that arrive below the highest sequence number seen
    /// so far (retransmissions of holes, or reordered ones).
    fn late(segs: &[(u32, usize, u16)]) -> Vec<u32> {
        let mut top = None;
        let mut out = Vec::new();
        for &(seq, _, _) in segs.iter().filter(|s| s.1 > 0) {
            match top {
                Some(t) if seq < t => out.push(seq),
                _ => top = Some(seq),
            }
        }
        out
    }

    /// Captured at the receiver: each segment shows up exactly once (the
    /// lost first copies never reach the capture), and the ones that come
    /// late are exactly the holes.
    fn check_holes(frames: &[Frame], isn: u32, count: u32, holes: &[u32]) -> io::Result<()> {
        let segs = segments_from(frames, 80)?;
        assert!(repeated(&segs).is_empty());
        let mut seqs: Vec<u32> = segs.iter().filter(|s| s.1 > 0).map(|s| s.0).collect();
        let expect_late: Vec<u32> = holes.iter().map(|i| isn + 1 + i * 1_448).collect();
        assert_eq!(late(&segs), expect_late);
        seqs.sort_unstable();
        let all: Vec<u32> = (0..count).map(|i| isn + 1 + i * 1_448).collect();
        assert_eq!(seqs, all);
        Ok(())
    }

    #[test]
    fn one_loss_one_retransmission() -> io::Result<()> {
        check_holes(
            &lost_segment_fast_retransmit_frames()?,
            1_044_862_177,
            30,
            &[25],
        )
    }

    #[test]
    fn sack_recovery_resends_only_the_holes() -> io::Result<()> {
        check_holes(&sack_frames()?, 3_530_906_112, 48, &[14, 20, 26])
    }

    #[test]
    fn tail_loss_probe_resends_the_last_segment() -> io::Result<()> {
        let segs = segments_from(&spurious_retransmission_frames()?, 80)?;
        let first = 2_448_615_390u32 + 1;
        assert_eq!(repeated(&segs), vec![first + 7 * 1_448]);
        Ok(())
    }

    #[test]
    fn zero_window_is_probed_three_times() -> io::Result<()> {
        let frames = zero_window_frames()?;
        let client = segments_from(&frames, 51_877)?;
        let probes: Vec<_> = client.iter().filter(|s| s.1 == 1).collect();
        assert_eq!(probes.len(), 3);
        assert!(probes.iter().all(|p| p.0 == probes[0].0));
        let server = segments_from(&frames, 8080)?;
        // The zero window itself and one answer per probe.
        assert_eq!(server.iter().filter(|s| s.2 == 0).count(), 4);
        Ok(())
    }

    #[test]
    fn out_of_order_sends_nothing_twice() -> io::Result<()> {
        let segs = segments_from(&out_of_order_frames()?, 80)?;
        assert!(repeated(&segs).is_empty());
        // Exactly one pair is swapped.
        let data: Vec<u32> = segs.iter().filter(|s| s.1 > 0).map(|s| s.0).collect();
        let swaps = data.windows(2).filter(|w| w[1] < w[0]).count();
        assert_eq!(swaps, 1);
        Ok(())
    }
}
