//! The TCP header as a bounds-checked view, its flags, and a walker over the raw option
//! bytes that knows every option kind (and keeps unknown kinds as bytes) — etherparse's
//! iterator stops at kinds it does not know, so we walk the bytes ourselves.

use super::net::IpHeader;
use super::{Note, Notes, Transport, be16, be32, u8_at};

/// The TCP flag bits, including AE (the former NS bit, 0x100) and the reserved bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct TcpFlags(pub u16);

/// The control a segment carries: its flags reduced once, as smoltcp's `TcpControl`.
/// Odd combinations keep their strongest meaning: a SYN stays a SYN (with or without RST
/// or FIN beside it), then RST, then FIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// SYN without ACK: an opening.
    Syn,
    /// SYN with ACK: the answer to an opening.
    SynAck,
    Rst,
    Fin,
    None,
}

impl TcpFlags {
    /// The sequence numbers a segment of `payload_len` bytes occupies (RFC 9293's
    /// SEG.LEN): its payload, plus one for a SYN and one for a FIN. The one place this
    /// rule is written.
    pub fn sequence_space(self, payload_len: u32) -> u32 {
        payload_len
            .wrapping_add(u32::from(self.syn()))
            .wrapping_add(u32::from(self.fin()))
    }

    /// The control this segment carries (see [`Control`]).
    pub fn control(self) -> Control {
        match (self.syn(), self.ack(), self.rst(), self.fin()) {
            (true, false, _, _) => Control::Syn,
            (true, true, _, _) => Control::SynAck,
            (false, _, true, _) => Control::Rst,
            (false, _, false, true) => Control::Fin,
            (false, _, false, false) => Control::None,
        }
    }

    pub const FIN: u16 = 0x001;
    pub const SYN: u16 = 0x002;
    pub const RST: u16 = 0x004;
    pub const PSH: u16 = 0x008;
    pub const ACK: u16 = 0x010;
    pub const URG: u16 = 0x020;
    pub const ECE: u16 = 0x040;
    pub const CWR: u16 = 0x080;
    pub const AE: u16 = 0x100;

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
    pub fn syn(self) -> bool {
        self.has(Self::SYN)
    }
    pub fn ack(self) -> bool {
        self.has(Self::ACK)
    }
    pub fn fin(self) -> bool {
        self.has(Self::FIN)
    }
    pub fn rst(self) -> bool {
        self.has(Self::RST)
    }
    pub fn psh(self) -> bool {
        self.has(Self::PSH)
    }

    /// tcpdump's letters, in its order: `F S R P . U E W`; "none" when no flag is set.
    /// (tcpdump 4.99.3 prints nothing for AE and the reserved bits.)
    pub fn tcpdump_letters(self) -> String {
        const LETTERS: [(u16, char); 8] = [
            (TcpFlags::FIN, 'F'),
            (TcpFlags::SYN, 'S'),
            (TcpFlags::RST, 'R'),
            (TcpFlags::PSH, 'P'),
            (TcpFlags::ACK, '.'),
            (TcpFlags::URG, 'U'),
            (TcpFlags::ECE, 'E'),
            (TcpFlags::CWR, 'W'),
        ];
        let s: String = LETTERS
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|(_, c)| *c)
            .collect();
        if s.is_empty() { "none".to_string() } else { s }
    }

    /// Flags in words, as a ladder label: "SYN", "SYN, ACK", "FIN, ACK", "RST".
    pub fn words(self) -> String {
        const NAMES: [(u16, &str); 9] = [
            (TcpFlags::SYN, "SYN"),
            (TcpFlags::FIN, "FIN"),
            (TcpFlags::RST, "RST"),
            (TcpFlags::PSH, "PSH"),
            (TcpFlags::URG, "URG"),
            (TcpFlags::ECE, "ECE"),
            (TcpFlags::CWR, "CWR"),
            (TcpFlags::AE, "AE"),
            (TcpFlags::ACK, "ACK"),
        ];
        let words: Vec<&str> = NAMES
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|(_, n)| *n)
            .collect();
        if words.is_empty() {
            "no flags".to_string()
        } else {
            words.join(", ")
        }
    }

    /// SYN with FIN or RST, or FIN with RST.
    pub fn is_illegal(self) -> bool {
        (self.syn() && (self.fin() || self.rst())) || (self.fin() && self.rst())
    }
}

/// A TCP header whose fixed 20 bytes were captured.
#[derive(Clone, Copy, Debug)]
pub struct TcpView<'a> {
    /// Offset of the TCP header in the frame.
    pub offset: usize,
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    /// Header length from the data offset field, in bytes.
    pub header_len: usize,
    pub flags: TcpFlags,
    pub window: u16,
    pub checksum: u16,
    pub urgent: u16,
    /// The captured part of the options area (may be shorter than `header_len - 20`).
    pub options: &'a [u8],
    /// Bytes of the segment (header + payload) the IP header declares.
    pub declared_segment_len: u32,
    /// Payload length, Wireshark's `tcp.len`: from the IP length, limited to the wire.
    pub payload_len: u32,
    /// The captured payload bytes (fewer than `payload_len` when the snaplen cut them).
    pub payload: &'a [u8],
}

impl TcpView<'_> {
    /// The options area length the header declares.
    pub fn options_declared_len(&self) -> usize {
        self.header_len.saturating_sub(20)
    }

    /// Key options, for labels and analysis.
    pub fn option_summary(&self) -> OptionSummary {
        OptionSummary::from_options(self.options)
    }
}

pub(crate) fn decode_tcp<'a>(
    data: &'a [u8],
    at: usize,
    ip: &IpHeader,
    notes: &mut Notes,
) -> Transport<'a> {
    // Bytes beyond the IP datagram's declared end are padding, not TCP (as tcpdump and
    // Wireshark see it): a header cut by the IP length is a truncated header.
    let ip_end = at.saturating_add(ip.declared_payload_len as usize);
    let data = data.get(..ip_end.min(data.len())).unwrap_or(data);
    let ports = be16(data, at).zip(be16(data, at + 2));
    let (Some(seq), Some(ack), Some(off_flags), Some(window), Some(checksum), Some(urgent)) = (
        be32(data, at + 4),
        be32(data, at + 8),
        be16(data, at + 12),
        be16(data, at + 14),
        be16(data, at + 16),
        be16(data, at + 18),
    ) else {
        notes.add(Note::TruncatedTcpHeader);
        return Transport::BrokenTcp { offset: at, ports };
    };
    let Some((sport, dport)) = ports else {
        return Transport::BrokenTcp { offset: at, ports };
    };
    let header_len = usize::from(off_flags >> 12) * 4;
    let flags = TcpFlags(off_flags & 0x0fff);
    if flags.is_illegal() {
        notes.add(Note::IllegalFlags);
    }
    if header_len < 20 {
        notes.add(Note::TcpHeaderTooShort);
        return Transport::BrokenTcp {
            offset: at,
            ports: Some((sport, dport)),
        };
    }
    let declared_segment_len = ip.declared_payload_len;
    let wire_segment_len = ip.wire_payload_len as usize;
    if header_len > declared_segment_len as usize {
        notes.add(Note::TcpHeaderTooLong);
    }
    let options_end = (at + header_len).min(data.len());
    let options = data.get(at + 20..options_end).unwrap_or(&[]);
    if options.len() < header_len - 20 && header_len <= wire_segment_len {
        notes.add(Note::OptionsCut);
    }
    let payload_len = wire_segment_len.saturating_sub(header_len) as u32;
    let payload_end = (at + header_len + payload_len as usize).min(data.len());
    let payload = data.get(at + header_len..payload_end).unwrap_or(&[]);
    let view = TcpView {
        offset: at,
        sport,
        dport,
        seq,
        ack,
        header_len,
        flags,
        window,
        checksum,
        urgent,
        options,
        declared_segment_len,
        payload_len,
        payload,
    };
    if walk_options(options).any(|o| o.problem.is_some()) {
        notes.add(Note::BadTcpOption);
    }
    Transport::Tcp(view)
}

/// What stopped an option walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionProblem {
    /// A length byte below 2, or one running past the options area.
    BadLength,
    /// The option was not captured whole.
    Cut,
}

/// One option as found in the bytes.
#[derive(Clone, Copy, Debug)]
pub struct TcpOptionItem<'a> {
    /// Offset within the options area.
    pub offset: usize,
    pub kind: u8,
    /// The length byte (1 for EOL and NOP, which have none).
    pub len: u8,
    /// The option's data (after kind and length).
    pub data: &'a [u8],
    pub problem: Option<OptionProblem>,
}

impl<'a> TcpOptionItem<'a> {
    pub fn parse(&self) -> TcpOption<'a> {
        let d = self.data;
        match (self.kind, d.len()) {
            (0, _) => TcpOption::Eol,
            (1, _) => TcpOption::Nop,
            (2, 2) => TcpOption::Mss(be16(d, 0).unwrap_or(0)),
            (3, 1) => TcpOption::WindowScale(u8_at(d, 0).unwrap_or(0)),
            (4, 0) => TcpOption::SackPermitted,
            (5, n) if n % 8 == 0 => TcpOption::Sack(d),
            (8, 8) => TcpOption::Timestamp {
                val: be32(d, 0).unwrap_or(0),
                ecr: be32(d, 4).unwrap_or(0),
            },
            (19, 16) => TcpOption::Md5(d),
            (28, 2) => TcpOption::UserTimeout(be16(d, 0).unwrap_or(0)),
            (29, _) => TcpOption::TcpAo(d),
            (30, _) => TcpOption::Mptcp(d),
            (34, _) => TcpOption::FastOpen(d),
            (254, n) if n >= 2 && be16(d, 0) == Some(0xf989) => {
                TcpOption::FastOpen(d.get(2..).unwrap_or(&[]))
            }
            (kind, _) => TcpOption::Unknown { kind, data: d },
        }
    }
}

/// The meaning of an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpOption<'a> {
    Eol,
    Nop,
    Mss(u16),
    WindowScale(u8),
    SackPermitted,
    /// SACK blocks, 8 bytes each (left, right edges).
    Sack(&'a [u8]),
    Timestamp {
        val: u32,
        ecr: u32,
    },
    Md5(&'a [u8]),
    UserTimeout(u16),
    TcpAo(&'a [u8]),
    Mptcp(&'a [u8]),
    /// TCP Fast Open cookie (empty: a cookie request); kind 34 or experimental 254/0xF989.
    FastOpen(&'a [u8]),
    Unknown {
        kind: u8,
        data: &'a [u8],
    },
}

impl TcpOption<'_> {
    /// SACK blocks as (left, right) pairs.
    pub fn sack_blocks(data: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
        data.chunks_exact(8)
            .map(|c| (be32(c, 0).unwrap_or(0), be32(c, 4).unwrap_or(0)))
    }

    /// Short name, as Wireshark's option list shows it.
    pub fn name(&self) -> String {
        match self {
            TcpOption::Eol => "EOL".into(),
            TcpOption::Nop => "NOP".into(),
            TcpOption::Mss(_) => "MSS".into(),
            TcpOption::WindowScale(_) => "Window scale".into(),
            TcpOption::SackPermitted => "SACK permitted".into(),
            TcpOption::Sack(_) => "SACK".into(),
            TcpOption::Timestamp { .. } => "Timestamps".into(),
            TcpOption::Md5(_) => "MD5 signature".into(),
            TcpOption::UserTimeout(_) => "User timeout".into(),
            TcpOption::TcpAo(_) => "TCP-AO".into(),
            TcpOption::Mptcp(_) => "Multipath TCP".into(),
            TcpOption::FastOpen(_) => "TCP Fast Open".into(),
            TcpOption::Unknown { kind, .. } => format!("Unknown option {kind}"),
        }
    }

    /// The option's value in words, for the details pane.
    pub fn value_text(&self) -> String {
        let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        match self {
            TcpOption::Eol | TcpOption::Nop | TcpOption::SackPermitted => String::new(),
            TcpOption::Mss(v) => format!("{v} bytes"),
            TcpOption::WindowScale(s) => format!("{s} (multiply by {})", 1u64 << (*s).min(30)),
            TcpOption::Sack(d) => TcpOption::sack_blocks(d)
                .map(|(l, r)| format!("{l}-{r}"))
                .collect::<Vec<_>>()
                .join(", "),
            TcpOption::Timestamp { val, ecr } => format!("TSval {val}, TSecr {ecr}"),
            TcpOption::UserTimeout(v) => format!("0x{v:04x}"),
            TcpOption::FastOpen([]) => "cookie request".into(),
            TcpOption::FastOpen(d) => format!("cookie {}", hex(d)),
            TcpOption::Md5(d) | TcpOption::TcpAo(d) | TcpOption::Mptcp(d) => hex(d),
            TcpOption::Unknown { data, .. } => hex(data),
        }
    }
}

/// Walk the option bytes as Wireshark does: each option advances by its length byte.
/// The walk stops after EOL, at a bad length, or where the captured bytes end.
pub fn walk_options(options: &[u8]) -> impl Iterator<Item = TcpOptionItem<'_>> {
    let mut at = 0usize;
    let mut done = false;
    std::iter::from_fn(move || {
        if done || at >= options.len() {
            return None;
        }
        let offset = at;
        let kind = u8_at(options, at)?;
        if kind == 0 || kind == 1 {
            at += 1;
            done = kind == 0;
            return Some(TcpOptionItem {
                offset,
                kind,
                len: 1,
                data: &[],
                problem: None,
            });
        }
        let Some(len) = u8_at(options, at + 1) else {
            done = true;
            return Some(TcpOptionItem {
                offset,
                kind,
                len: 0,
                data: &[],
                problem: Some(OptionProblem::Cut),
            });
        };
        let end = at + usize::from(len);
        if len < 2 {
            done = true;
            return Some(TcpOptionItem {
                offset,
                kind,
                len,
                data: &[],
                problem: Some(OptionProblem::BadLength),
            });
        }
        let Some(data) = options.get(at + 2..end) else {
            done = true;
            return Some(TcpOptionItem {
                offset,
                kind,
                len,
                data: options.get(at + 2..).unwrap_or(&[]),
                problem: Some(OptionProblem::Cut),
            });
        };
        at = end;
        Some(TcpOptionItem {
            offset,
            kind,
            len,
            data,
            problem: None,
        })
    })
}

/// The options a ladder label and the analysis care about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct OptionSummary {
    pub mss: Option<u16>,
    pub window_scale: Option<u8>,
    pub sack_permitted: bool,
    pub timestamp: Option<(u32, u32)>,
    /// Up to 4 SACK blocks (raw edges).
    pub sack: [(u32, u32); 4],
    pub sack_count: u8,
    pub fast_open: bool,
    pub mptcp: bool,
    pub md5: bool,
}

impl OptionSummary {
    pub fn from_options(options: &[u8]) -> OptionSummary {
        let mut s = OptionSummary::default();
        for item in walk_options(options).filter(|i| i.problem.is_none()) {
            match item.parse() {
                TcpOption::Mss(v) => s.mss = Some(v),
                TcpOption::WindowScale(v) => s.window_scale = Some(v),
                TcpOption::SackPermitted => s.sack_permitted = true,
                TcpOption::Timestamp { val, ecr } => s.timestamp = Some((val, ecr)),
                TcpOption::Sack(d) => {
                    for block in TcpOption::sack_blocks(d) {
                        if let Some(slot) = s.sack.get_mut(usize::from(s.sack_count)) {
                            *slot = block;
                            s.sack_count += 1;
                        }
                    }
                }
                TcpOption::FastOpen(_) => s.fast_open = true,
                TcpOption::Mptcp(_) => s.mptcp = true,
                TcpOption::Md5(_) => s.md5 = true,
                _ => {}
            }
        }
        s
    }

    pub fn sack_blocks(&self) -> &[(u32, u32)] {
        self.sack.get(..usize::from(self.sack_count)).unwrap_or(&[])
    }
}

/// Wireshark's window-scale knowledge of one direction: unknown (its SYN not seen),
/// not used (a SYN without the option), or a shift.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WindowScale {
    #[default]
    Unknown,
    NotUsed,
    Shift(u8),
}

/// tcpdump's name of a TCP option kind (`mss`, `sackOK`, `TS`…).
pub fn option_name(kind: u8) -> String {
    match kind {
        0 => "eol".into(),
        1 => "nop".into(),
        2 => "mss".into(),
        3 => "wscale".into(),
        4 => "sackOK".into(),
        5 => "sack".into(),
        6 => "echo".into(),
        7 => "echoreply".into(),
        8 => "TS".into(),
        11 => "cc".into(),
        12 => "ccnew".into(),
        13 => String::new(),
        19 => "md5".into(),
        20 => "scps".into(),
        28 => "uto".into(),
        29 => "tcp-ao".into(),
        30 => "mptcp".into(),
        34 => "tfo".into(),
        254 => "exp".into(),
        k => format!("unknown-{k}"),
    }
}
