//! tcpdump's rendering of Multipath TCP options (RFC 8684), for the tcpdump text mode:
//! `mptcp LEN SUBTYPE ...`. Returns false where tcpdump reports a bad option.

use crate::decode::{TcpFlags, be16, u8_at};
use std::fmt::Write;

const SUBTYPES: [&str; 10] = [
    "capable",
    "join",
    "dss",
    "add-addr",
    "rem-addr",
    "prio",
    "fail",
    "fast-close",
    "tcprst",
    "unknown",
];

fn be64(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

/// `data` is the option after kind and length; `len` is the option's length byte.
pub(crate) fn print(out: &mut String, data: &[u8], len: usize, flags: u16) -> bool {
    if len < 3 {
        return false;
    }
    let Some(sub_etc) = u8_at(data, 0) else {
        return false;
    };
    let subtype = usize::from(sub_etc >> 4).min(9);
    let _ = write!(
        out,
        " {len} {}",
        SUBTYPES.get(subtype).copied().unwrap_or("unknown")
    );
    let f = TcpFlags(flags);
    match subtype {
        0 => capable(out, data, len, f),
        2 => dss(out, data, len, f),
        _ => true,
    }
}

fn capable(out: &mut String, d: &[u8], len: usize, f: TcpFlags) -> bool {
    let syn_ok = (len == 12 || len == 4) && f.syn();
    let ack_ok = matches!(len, 20 | 22 | 24) && f.ack() && !f.syn();
    if !syn_ok && !ack_ok {
        return false;
    }
    let version = u8_at(d, 0).unwrap_or(0) & 0x0f;
    if version > 1 {
        let _ = write!(out, " Unknown Version ({version})");
        return true;
    }
    let _ = write!(out, " v{version}");
    if u8_at(d, 1).unwrap_or(0) & 0x80 != 0 {
        out.push_str(" csum");
    }
    if len == 12 || len >= 20 {
        let _ = write!(out, " {{0x{:x}", be64(d, 2).unwrap_or(0));
        if len >= 20 {
            let _ = write!(out, ",0x{:x}", be64(d, 10).unwrap_or(0));
        }
        out.push('}');
    }
    true
}

fn dss(out: &mut String, d: &[u8], len: usize, f: TcpFlags) -> bool {
    if len < 4 || f.syn() {
        return false;
    }
    let flags = u8_at(d, 1).unwrap_or(0);
    if flags & 0x10 != 0 {
        out.push_str(" fin");
    }
    let mut at = 2usize;
    let mut left = len - 4;
    if flags & 0x01 != 0 {
        out.push_str(" ack ");
        if !number(out, d, &mut at, &mut left, flags & 0x02 != 0) {
            return false;
        }
    }
    if flags & 0x04 != 0 {
        out.push_str(" seq ");
        if !number(out, d, &mut at, &mut left, flags & 0x08 != 0) {
            return false;
        }
        if left < 4 {
            return false;
        }
        let _ = write!(out, " subseq {}", crate::decode::be32(d, at).unwrap_or(0));
        at += 4;
        left -= 4;
        if left < 2 {
            return false;
        }
        let _ = write!(out, " len {}", be16(d, at).unwrap_or(0));
        at += 2;
        left -= 2;
        if left >= 2 {
            let _ = write!(out, " csum 0x{:x}", be16(d, at).unwrap_or(0));
            left -= 2;
        }
    }
    left == 0
}

/// Print a 4- or 8-byte number (DSS ack and sequence fields); false if it is cut.
fn number(out: &mut String, d: &[u8], at: &mut usize, left: &mut usize, eight_bytes: bool) -> bool {
    let size = if eight_bytes { 8 } else { 4 };
    if *left < size {
        return false;
    }
    let value = if eight_bytes {
        be64(d, *at).unwrap_or(0)
    } else {
        u64::from(crate::decode::be32(d, *at).unwrap_or(0))
    };
    let _ = write!(out, "{value}");
    *at += size;
    *left -= size;
    true
}
