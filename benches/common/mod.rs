//! A minimal pcap writer for the benchmarks' own captures: Ethernet, IPv4, TCP without
//! options, payloads counted but not stored (captured length = headers only).
#![allow(dead_code)]

pub const SYN: u8 = 0x02;
pub const ACK: u8 = 0x10;
pub const FIN: u8 = 0x01;

/// One end of a connection.
#[derive(Clone, Copy)]
pub struct End {
    pub addr: [u8; 4],
    pub port: u16,
}

/// A classic pcap (microseconds, little-endian) written into memory.
pub struct Pcap {
    pub bytes: Vec<u8>,
}

impl Pcap {
    pub fn new(capacity: usize) -> Pcap {
        let mut bytes = Vec::with_capacity(capacity);
        bytes.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        bytes.extend_from_slice(&2u16.to_le_bytes());
        bytes.extend_from_slice(&4u16.to_le_bytes());
        bytes.extend_from_slice(&[0; 8]);
        bytes.extend_from_slice(&65535u32.to_le_bytes());
        bytes.extend_from_slice(&1u32.to_le_bytes());
        Pcap { bytes }
    }

    /// One segment at `t` µs from `src` to `dst`, with `len` payload bytes on the wire.
    #[allow(clippy::too_many_arguments)]
    pub fn push(&mut self, t: u64, src: End, dst: End, seq: u32, ack: u32, flags: u8, len: usize) {
        let mut frame = vec![0u8; 14];
        frame[12] = 0x08;
        let total = 20 + 20 + len;
        frame.extend_from_slice(&[
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0x40,
            0,
            64,
            6,
            0,
            0,
        ]);
        frame.extend_from_slice(&src.addr);
        frame.extend_from_slice(&dst.addr);
        frame.extend_from_slice(&src.port.to_be_bytes());
        frame.extend_from_slice(&dst.port.to_be_bytes());
        frame.extend_from_slice(&seq.to_be_bytes());
        frame.extend_from_slice(&ack.to_be_bytes());
        frame.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        let captured = frame.len();
        let original = captured + len;
        self.bytes
            .extend_from_slice(&((t / 1_000_000) as u32).to_le_bytes());
        self.bytes
            .extend_from_slice(&((t % 1_000_000) as u32).to_le_bytes());
        self.bytes
            .extend_from_slice(&(captured as u32).to_le_bytes());
        self.bytes
            .extend_from_slice(&(original as u32).to_le_bytes());
        self.bytes.extend_from_slice(&frame);
    }
}
