//! Splitting a connection into phases — opening, data transfer, closing — and naming
//! each band after what actually happened ("Four-way teardown — server closed first").

use crate::flow::{CloseKind, Connection, OpenKind, Side, TcpState};
use crate::i18n::{Role, Texts};

/// A phase of a connection's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Phase {
    Open,
    Data,
    Close,
}

impl Phase {
    /// The plain name of a phase band still going on (predict mode: no word of what is
    /// to come).
    pub fn going_on_name(self, lang: crate::i18n::Lang) -> &'static str {
        let [open, data, close] = lang.predict().bands_going_on;
        match self {
            Phase::Open => open,
            Phase::Data => data,
            Phase::Close => close,
        }
    }
}

/// The phases present in `conn`, as (phase, first packet index, last packet index).
pub fn phase_ranges(conn: &Connection) -> Vec<(Phase, u32, u32)> {
    let count = conn.packet_count();
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
                .transitions()
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
        conn.dir(Side::A).first_fin,
        conn.dir(Side::B).first_fin,
        conn.dir(Side::A).first_rst,
        conn.dir(Side::B).first_rst,
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

/// The role word of `side` ("client", "服务器"...).
pub fn who(conn: &Connection, side: Side, t: &dyn Texts) -> &'static str {
    t.role(role_of(conn, side))
}

/// Which role `side` plays in `conn`.
pub fn role_of(conn: &Connection, side: Side) -> Role {
    match (conn.roles_known(), side == conn.client()) {
        (true, true) => Role::Client,
        (true, false) => Role::Server,
        (false, true) => Role::A,
        (false, false) => Role::B,
    }
}

/// The title of a phase band.
pub fn band_title(conn: &Connection, phase: Phase, t: &dyn Texts) -> String {
    let summary = conn.summary();
    let who = |side: Side| who(conn, side, t);
    let title = match phase {
        Phase::Open => match summary.open {
            OpenKind::ThreeWayHandshake => t.band_three_way(),
            OpenKind::SimultaneousOpen => t.band_simultaneous_open(),
            OpenKind::Refused => t.band_refused(),
            OpenKind::NoAnswer { syns } => t.band_no_answer(syns),
            OpenKind::IncompleteHandshake => t.band_incomplete(),
            OpenKind::AlreadyOpen => t.band_already_open(),
        },
        Phase::Data => t.band_data(
            who(conn.client()),
            who(conn.server()),
            &crate::units::human_bytes(conn.dir(conn.client()).payload_bytes),
            &crate::units::human_bytes(conn.dir(conn.server()).payload_bytes),
        ),
        Phase::Close => match summary.close {
            CloseKind::FourWay { active } => t.band_four_way(who(active)),
            CloseKind::ThreeSegment { active } => t.band_three_segment(who(active)),
            CloseKind::Simultaneous { .. } => t.band_simultaneous_close(),
            CloseKind::HalfClose { active } => t.band_half_close(who(active), who(active.other())),
            CloseKind::Reset { by } => t.band_reset(who(by)),
            CloseKind::HalfClosedAtEnd { active } => t.band_half_closed_at_end(
                who(active.other()),
                &t.state(summary.final_state(active.other())),
            ),
            CloseKind::StillOpen => t.band_still_open(),
            CloseKind::NeverOpened => t.band_never_opened(),
        },
    };
    t.finish(title)
}
