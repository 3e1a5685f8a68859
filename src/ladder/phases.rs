//! Splitting a connection into phases — opening, data transfer, closing — and naming
//! each band after what actually happened ("Four-way teardown — server closed first").

use crate::flow::{CloseKind, Connection, OpenKind, Side, TcpState};

/// A phase of a connection's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Phase {
    Open,
    Data,
    Close,
}

/// The phases present in `conn`, as (phase, first packet index, last packet index).
pub fn phase_ranges(conn: &Connection) -> Vec<(Phase, u32, u32)> {
    let count = conn.packet_count;
    if count == 0 {
        return Vec::new();
    }
    let last = count - 1;
    let summary = conn.summary();
    // Opening: up to the packet where the last side reached ESTABLISHED; a failed opening
    // covers the whole connection.
    let open_end = match summary.open {
        OpenKind::AlreadyOpen => None,
        OpenKind::ThreeWayHandshake | OpenKind::SimultaneousOpen => {
            let mut reached: crate::flow::PerSide<Option<u32>> = crate::flow::PerSide::default();
            for t in conn
                .transitions
                .iter()
                .filter(|t| t.to == TcpState::Established)
            {
                reached[t.side].get_or_insert(t.packet);
            }
            match reached.0 {
                [Some(a), Some(b)] => Some(a.max(b)),
                _ => Some(last),
            }
        }
        OpenKind::Refused | OpenKind::NoAnswer { .. } | OpenKind::IncompleteHandshake => Some(last),
    };
    // Closing: from the first FIN or RST.
    let close_start = [
        conn.dirs[Side::A].first_fin,
        conn.dirs[Side::B].first_fin,
        conn.dirs[Side::A].first_rst,
        conn.dirs[Side::B].first_rst,
    ]
    .into_iter()
    .flatten()
    .min();
    let mut ranges = Vec::new();
    let data_first = match open_end {
        Some(end) => {
            ranges.push((Phase::Open, 0, end));
            if end == last {
                return ranges;
            }
            end + 1
        }
        None => 0,
    };
    let close_start = close_start.map(|c| c.max(data_first));
    let data_last = match close_start {
        Some(c) if c > data_first => Some(c - 1),
        Some(_) => None,
        None => Some(last),
    };
    if let Some(dl) = data_last {
        ranges.push((Phase::Data, data_first, dl));
    }
    if let Some(c) = close_start {
        ranges.push((Phase::Close, c, last));
    }
    ranges
}

fn who(conn: &Connection, side: Side) -> &'static str {
    crate::export::tables::role_name(conn, side)
}

/// The title of a phase band.
pub fn band_title(conn: &Connection, phase: Phase) -> String {
    let summary = conn.summary();
    match phase {
        Phase::Open => match summary.open {
            OpenKind::ThreeWayHandshake => "Three-way handshake".into(),
            OpenKind::SimultaneousOpen => "Simultaneous open — both sides sent SYN".into(),
            OpenKind::Refused => "Connection refused (RST)".into(),
            OpenKind::NoAnswer { syns } => format!("No answer — SYN sent {syns} times"),
            OpenKind::IncompleteHandshake => "Incomplete handshake".into(),
            OpenKind::AlreadyOpen => "Already open".into(),
        },
        Phase::Data => {
            let c = conn.dir(conn.client()).payload_bytes;
            let s = conn.dir(conn.server()).payload_bytes;
            format!(
                "Data transfer — {} → {}: {}, {} → {}: {}",
                who(conn, conn.client()),
                who(conn, conn.server()),
                crate::units::human_bytes(c),
                who(conn, conn.server()),
                who(conn, conn.client()),
                crate::units::human_bytes(s)
            )
        }
        Phase::Close => match summary.close {
            CloseKind::FourWay { active } => {
                format!("Four-way teardown — {} closed first", who(conn, active))
            }
            CloseKind::ThreeSegment { active } => {
                format!(
                    "Three-segment close (FIN, FIN+ACK, ACK) — {} closed first",
                    who(conn, active)
                )
            }
            CloseKind::Simultaneous { .. } => "Simultaneous close — both FINs crossed".into(),
            CloseKind::HalfClose { active } => format!(
                "Half-close — {} closed first, {} kept sending",
                who(conn, active),
                who(conn, active.other())
            ),
            CloseKind::Reset { by } => {
                format!("Reset — {} aborted the connection (RST)", who(conn, by))
            }
            CloseKind::HalfClosedAtEnd { active } => format!(
                "Half-closed: {} still in {} at end of capture",
                who(conn, active.other()),
                summary.final_state(active.other())
            ),
            CloseKind::StillOpen => "Still open at end of capture".into(),
        },
    }
}
