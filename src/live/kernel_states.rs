//! The kernel's own TCP socket states, read from `/proc/net/tcp` and `/proc/net/tcp6`:
//! what `netstat -tan` and `ss -tan` print, with no privileges needed.
//!
//! Each line of those files is one socket: local and remote address (hex, each 32-bit
//! word in the machine's byte order), the state as a hex number (the kernel's
//! `TCP_ESTABLISHED = 1` … `TCP_NEW_SYN_RECV = 12`) and the active timer with the clock
//! ticks it has left (`tr tm->when`, in USER_HZ = 100 per second), which for a socket in
//! TIME_WAIT is its remaining time. [`parse`] reads that text; [`read`] reads the files.

use crate::flow::TcpState;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// The kernel's clock ticks per second as `/proc/net/tcp` reports timers (USER_HZ).
const TICKS_PER_SECOND: u64 = 100;

/// A socket state as the kernel names it (`include/net/tcp_states.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KernelState {
    Established,
    SynSent,
    SynRecv,
    FinWait1,
    FinWait2,
    TimeWait,
    Close,
    CloseWait,
    LastAck,
    Listen,
    Closing,
    NewSynRecv,
}

impl KernelState {
    /// From the hex number in `/proc/net/tcp`.
    pub fn from_code(code: u8) -> Option<KernelState> {
        Some(match code {
            1 => KernelState::Established,
            2 => KernelState::SynSent,
            3 => KernelState::SynRecv,
            4 => KernelState::FinWait1,
            5 => KernelState::FinWait2,
            6 => KernelState::TimeWait,
            7 => KernelState::Close,
            8 => KernelState::CloseWait,
            9 => KernelState::LastAck,
            10 => KernelState::Listen,
            11 => KernelState::Closing,
            12 => KernelState::NewSynRecv,
            _ => return None,
        })
    }

    /// The name `netstat -tan` prints (`FIN_WAIT2`, `CLOSE_WAIT`...).
    pub fn netstat_name(self) -> &'static str {
        match self {
            KernelState::Established => "ESTABLISHED",
            KernelState::SynSent => "SYN_SENT",
            KernelState::SynRecv | KernelState::NewSynRecv => "SYN_RECV",
            KernelState::FinWait1 => "FIN_WAIT1",
            KernelState::FinWait2 => "FIN_WAIT2",
            KernelState::TimeWait => "TIME_WAIT",
            KernelState::Close => "CLOSE",
            KernelState::CloseWait => "CLOSE_WAIT",
            KernelState::LastAck => "LAST_ACK",
            KernelState::Listen => "LISTEN",
            KernelState::Closing => "CLOSING",
        }
    }

    /// The RFC 9293 state this is, to compare with the state inferred from the packets.
    pub fn rfc_state(self) -> TcpState {
        match self {
            KernelState::Established => TcpState::Established,
            KernelState::SynSent => TcpState::SynSent,
            KernelState::SynRecv | KernelState::NewSynRecv => TcpState::SynReceived,
            KernelState::FinWait1 => TcpState::FinWait1,
            KernelState::FinWait2 => TcpState::FinWait2,
            KernelState::TimeWait => TcpState::TimeWait,
            KernelState::Close => TcpState::Closed,
            KernelState::CloseWait => TcpState::CloseWait,
            KernelState::LastAck => TcpState::LastAck,
            KernelState::Listen => TcpState::Listen,
            KernelState::Closing => TcpState::Closing,
        }
    }
}

impl std::fmt::Display for KernelState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.netstat_name())
    }
}

/// One socket line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelSocket {
    pub local: SocketAddr,
    pub remote: SocketAddr,
    pub state: KernelState,
    /// Time left on the socket's timer when it is the TIME_WAIT timer.
    pub time_wait_left: Option<Duration>,
}

/// Parse the text of `/proc/net/tcp` or `/proc/net/tcp6` (the header line and any line
/// that does not parse are skipped).
pub fn parse(text: &str) -> Vec<KernelSocket> {
    text.lines()
        .filter_map(parse_line)
        .take(1_000_000)
        .collect()
}

fn parse_line(line: &str) -> Option<KernelSocket> {
    let mut fields = line.split_whitespace();
    let _slot = fields.next().filter(|s| s.ends_with(':'))?;
    let local = parse_addr(fields.next()?)?;
    let remote = parse_addr(fields.next()?)?;
    let state = KernelState::from_code(u8::from_str_radix(fields.next()?, 16).ok()?)?;
    let _queues = fields.next()?;
    let (timer, when) = fields.next()?.split_once(':')?;
    let time_wait_left = (state == KernelState::TimeWait && timer == "03")
        .then(|| u64::from_str_radix(when, 16).ok())
        .flatten()
        .map(|ticks| Duration::from_millis(ticks.saturating_mul(1000 / TICKS_PER_SECOND)));
    Some(KernelSocket {
        local,
        remote,
        state,
        time_wait_left,
    })
}

/// `0100007F:1F90` → 127.0.0.1:8080; IPv6 as four such words.
fn parse_addr(text: &str) -> Option<SocketAddr> {
    let (addr, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match addr.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(addr)?.to_ne_bytes())),
        32 => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_exact_mut(4).enumerate() {
                let w = word(addr.get(i * 8..i * 8 + 8)?)?;
                chunk.copy_from_slice(&w.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

fn word(hex: &str) -> Option<u32> {
    u32::from_str_radix(hex, 16).ok()
}

/// Every TCP socket of this machine (IPv4 and IPv6). Unreadable files give no sockets.
pub fn read() -> Vec<KernelSocket> {
    let mut all = Vec::new();
    for path in ["/proc/net/tcp", "/proc/net/tcp6"] {
        if let Ok(text) = std::fs::read_to_string(path) {
            all.extend(parse(&text));
        }
    }
    all
}

/// The kernel's state of the socket `local` ⇄ `remote` (a listening socket: `remote` is
/// the unspecified address, port 0).
pub fn state_of(
    sockets: &[KernelSocket],
    local: SocketAddr,
    remote: SocketAddr,
) -> Option<KernelSocket> {
    sockets
        .iter()
        .find(|s| s.local == local && s.remote == remote)
        .copied()
}

/// The listening socket on `local`, if any.
pub fn listener(sockets: &[KernelSocket], local: SocketAddr) -> Option<KernelSocket> {
    sockets
        .iter()
        .find(|s| {
            s.state == KernelState::Listen
                && s.local.port() == local.port()
                && (s.local.ip() == local.ip() || s.local.ip().is_unspecified())
        })
        .copied()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    // Lines as Linux 6.x prints them on a little-endian machine (x86-64, aarch64).
    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:D5C2 08 00000000:00000000 00:00000000 00000000  1000        0 41240 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:D5C2 0100007F:1F90 05 00000000:00000000 02:00000BB8 00000000  1000        0 0 2 0000000000000000 20 4 30 10 -1
   3: 0100007F:D5C4 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
";

    #[cfg(target_endian = "little")]
    #[test]
    fn reads_states_addresses_and_time_wait_left() {
        let sockets = parse(TCP);
        assert_eq!(sockets.len(), 4);
        let server: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let client: SocketAddr = "127.0.0.1:54722".parse().unwrap();
        assert_eq!(
            listener(&sockets, server).unwrap().state,
            KernelState::Listen
        );
        assert_eq!(
            state_of(&sockets, server, client).unwrap().state,
            KernelState::CloseWait
        );
        let c = state_of(&sockets, client, server).unwrap();
        assert_eq!(c.state.netstat_name(), "FIN_WAIT2");
        assert_eq!(c.state.rfc_state(), TcpState::FinWait2);
        assert_eq!(c.time_wait_left, None);
        let tw = sockets[3];
        assert_eq!(tw.state, KernelState::TimeWait);
        assert_eq!(tw.time_wait_left, Some(Duration::from_secs(60)));
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn reads_ipv6_loopback() {
        let line = "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0";
        let s = parse(line);
        assert_eq!(s[0].local, "[::1]:8080".parse().unwrap());
        assert_eq!(s[0].state, KernelState::Listen);
    }

    #[test]
    fn junk_is_skipped() {
        assert!(parse("garbage\n 0: zz:zz 00 00\n\u{0}\u{1}").is_empty());
        assert!(parse_addr("0100007F").is_none());
        assert!(parse_addr("01007F:0050").is_none());
    }
}
