//! One TCP segment, fully described (addresses, TTL, IP ID, flags, numbers,
//! options, payload), and the etherparse headers that encode it.
//!
//! Checksums and length fields are left to etherparse's `PacketBuilder`,
//! which the [`crate::link`] module drives.

use std::io;
use std::net::{IpAddr, SocketAddr};

use etherparse::{
    IpHeaders, IpNumber, Ipv4Extensions, Ipv4Header, Ipv6Extensions, Ipv6FlowLabel, Ipv6Header,
    TcpHeader, TcpOptionElement,
};

/// The TCP control bits the samples use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
}

impl Flags {
    /// `[S]`: opening request.
    pub const SYN: Flags = Flags::bits(true, false, false, false, false);
    /// `[S.]`: opening answer.
    pub const SYN_ACK: Flags = Flags::bits(true, true, false, false, false);
    /// `[.]`: plain acknowledgement.
    pub const ACK: Flags = Flags::bits(false, true, false, false, false);
    /// `[P.]`: data pushed to the application.
    pub const PSH_ACK: Flags = Flags::bits(false, true, false, false, true);
    /// `[F.]`: no more data from this side.
    pub const FIN_ACK: Flags = Flags::bits(false, true, true, false, false);
    /// `[FP.]`: last data and FIN in one segment.
    pub const FIN_PSH_ACK: Flags = Flags::bits(false, true, true, false, true);
    /// `[R]`: reset without acknowledgement.
    pub const RST: Flags = Flags::bits(false, false, false, true, false);
    /// `[R.]`: reset that also acknowledges.
    pub const RST_ACK: Flags = Flags::bits(false, true, false, true, false);

    const fn bits(syn: bool, ack: bool, fin: bool, rst: bool, psh: bool) -> Flags {
        Flags {
            syn,
            ack,
            fin,
            rst,
            psh,
        }
    }

    /// Sequence space the segment occupies besides its payload (SYN and FIN
    /// count one each).
    pub const fn control_len(self) -> u32 {
        self.syn as u32 + self.fin as u32
    }
}

/// Everything that goes into one TCP/IP packet.
#[derive(Clone, Debug)]
pub struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// IPv4 TTL or IPv6 hop limit, as seen where the capture is taken.
    pub ttl: u8,
    /// IPv4 identification (ignored for IPv6).
    pub ip_id: u16,
    /// IPv6 flow label (ignored for IPv4).
    pub flow_label: u32,
    pub flags: Flags,
    pub seq: u32,
    pub ack: u32,
    pub window: u16,
    pub options: &'a [TcpOptionElement],
    pub payload: &'a [u8],
}

impl Segment<'_> {
    /// The IP header (IPv4 with DF set, or IPv6), lengths and checksum to
    /// be filled in by `PacketBuilder`.
    pub fn ip_headers(&self) -> io::Result<IpHeaders> {
        match (self.src.ip(), self.dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => {
                let mut h = Ipv4Header::new(0, self.ttl, IpNumber::TCP, s.octets(), d.octets())
                    .map_err(io::Error::other)?;
                h.identification = self.ip_id;
                h.dont_fragment = true;
                Ok(IpHeaders::Ipv4(h, Ipv4Extensions::default()))
            }
            (IpAddr::V6(s), IpAddr::V6(d)) => {
                let h = Ipv6Header {
                    traffic_class: 0,
                    flow_label: Ipv6FlowLabel::try_new(self.flow_label & 0xf_ffff)
                        .map_err(io::Error::other)?,
                    payload_length: 0,
                    next_header: IpNumber::TCP,
                    hop_limit: self.ttl,
                    source: s.octets(),
                    destination: d.octets(),
                };
                Ok(IpHeaders::Ipv6(h, Ipv6Extensions::default()))
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "segment mixes IPv4 and IPv6 addresses",
            )),
        }
    }

    /// The TCP header with flags, numbers, window and options.
    pub fn tcp_header(&self) -> io::Result<TcpHeader> {
        let mut h = TcpHeader::new(self.src.port(), self.dst.port(), self.seq, self.window);
        h.acknowledgment_number = self.ack;
        h.syn = self.flags.syn;
        h.ack = self.flags.ack;
        h.fin = self.flags.fin;
        h.rst = self.flags.rst;
        h.psh = self.flags.psh;
        h.set_options(self.options).map_err(io::Error::other)?;
        Ok(h)
    }
}

/// Linux's SYN option layout: `mss M,sackOK,TS val V ecr E,nop,wscale W`.
pub fn linux_syn_options(mss: u16, ts_val: u32, ts_ecr: u32, wscale: u8) -> Vec<TcpOptionElement> {
    vec![
        TcpOptionElement::MaximumSegmentSize(mss),
        TcpOptionElement::SelectiveAcknowledgementPermitted,
        TcpOptionElement::Timestamp(ts_val, ts_ecr),
        TcpOptionElement::Noop,
        TcpOptionElement::WindowScale(wscale),
    ]
}

/// Linux's SYN layout when timestamps are off:
/// `mss M,nop,nop,sackOK,nop,wscale W`.
pub fn linux_syn_options_no_ts(mss: u16, wscale: u8) -> Vec<TcpOptionElement> {
    vec![
        TcpOptionElement::MaximumSegmentSize(mss),
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::SelectiveAcknowledgementPermitted,
        TcpOptionElement::Noop,
        TcpOptionElement::WindowScale(wscale),
    ]
}

/// Windows 10/11's SYN layout: `mss M,nop,wscale W,nop,nop,sackOK`.
pub fn windows_syn_options(mss: u16, wscale: u8) -> Vec<TcpOptionElement> {
    vec![
        TcpOptionElement::MaximumSegmentSize(mss),
        TcpOptionElement::Noop,
        TcpOptionElement::WindowScale(wscale),
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::SelectiveAcknowledgementPermitted,
    ]
}

/// The options on every non-SYN segment once timestamps are agreed:
/// `nop,nop,TS val V ecr E`.
pub fn ts_options(ts_val: u32, ts_ecr: u32) -> Vec<TcpOptionElement> {
    vec![
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::Timestamp(ts_val, ts_ecr),
    ]
}
