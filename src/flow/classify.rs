//! What kind of opening and closing a connection had (TCP-RULES.md §5), and Zeek's
//! one-word connection state (§6). Computed from the counters and the observer once the
//! whole connection has been read.

use super::endpoint::TcpState;
use super::key::{PerSide, Side};
use super::table::Connection;

/// How the connection opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OpenKind {
    ThreeWayHandshake,
    SimultaneousOpen,
    /// The SYN was answered by a RST.
    Refused,
    /// SYNs only; `syns` counts them (the first plus its retransmissions).
    NoAnswer {
        syns: u32,
    },
    /// SYN and SYN+ACK seen, but not the final ACK (or the SYN+ACK without the SYN).
    IncompleteHandshake,
    /// No SYN captured: the capture started mid-connection.
    AlreadyOpen,
}

impl OpenKind {
    pub fn label(self) -> String {
        match self {
            OpenKind::ThreeWayHandshake => "three-way handshake".into(),
            OpenKind::SimultaneousOpen => "simultaneous open".into(),
            OpenKind::Refused => "refused (RST)".into(),
            OpenKind::NoAnswer { syns: 1 } => "no answer (1 SYN)".into(),
            OpenKind::NoAnswer { syns } => {
                format!("no answer ({syns} SYNs, {} retransmitted)", syns - 1)
            }
            OpenKind::IncompleteHandshake => "incomplete handshake".into(),
            OpenKind::AlreadyOpen => "already open (no SYN captured)".into(),
        }
    }
}

/// How the connection closed, naming the active closer where there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CloseKind {
    /// FIN, ACK, FIN, ACK.
    FourWay { active: Side },
    /// FIN, FIN+ACK, ACK.
    ThreeSegment { active: Side },
    /// Both FINs crossed on the wire.
    Simultaneous { first: Side },
    /// Data kept flowing from the passive side after the first FIN, then both closed.
    HalfClose { active: Side },
    /// A RST ended it.
    Reset { by: Side },
    /// One FIN only: the other side never closed before the capture ended.
    HalfClosedAtEnd { active: Side },
    /// No FIN, no RST.
    StillOpen,
    /// No FIN, no RST, and no SYN was ever answered: it never opened, so it is not
    /// "still open" either.
    NeverOpened,
}

impl CloseKind {
    pub fn active_closer(self) -> Option<Side> {
        match self {
            CloseKind::FourWay { active }
            | CloseKind::ThreeSegment { active }
            | CloseKind::HalfClose { active }
            | CloseKind::HalfClosedAtEnd { active } => Some(active),
            CloseKind::Simultaneous { first } => Some(first),
            CloseKind::Reset { by } => Some(by),
            CloseKind::StillOpen | CloseKind::NeverOpened => None,
        }
    }
}

/// Zeek's `conn_state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ConnState {
    S0,
    S1,
    SF,
    REJ,
    S2,
    S3,
    RSTO,
    RSTR,
    RSTOS0,
    RSTRH,
    SH,
    SHR,
    OTH,
}

impl ConnState {
    pub fn code(self) -> &'static str {
        match self {
            ConnState::S0 => "S0",
            ConnState::S1 => "S1",
            ConnState::SF => "SF",
            ConnState::REJ => "REJ",
            ConnState::S2 => "S2",
            ConnState::S3 => "S3",
            ConnState::RSTO => "RSTO",
            ConnState::RSTR => "RSTR",
            ConnState::RSTOS0 => "RSTOS0",
            ConnState::RSTRH => "RSTRH",
            ConnState::SH => "SH",
            ConnState::SHR => "SHR",
            ConnState::OTH => "OTH",
        }
    }
}

/// Everything the connection list shows about a connection's life.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub open: OpenKind,
    pub close: CloseKind,
    pub conn_state: ConnState,
    pub history: String,
    pub final_states: PerSide<TcpState>,
}

impl Summary {
    pub fn of(conn: &Connection) -> Summary {
        let client = conn.client();
        let server = client.other();
        let open = open_kind(conn, client, server);
        let close = match (close_kind(conn), open) {
            (CloseKind::StillOpen, OpenKind::NoAnswer { .. }) => CloseKind::NeverOpened,
            (close, _) => close,
        };
        Summary {
            open,
            close,
            conn_state: conn_state(conn, client, server),
            history: conn.history.render(client),
            final_states: conn.observer.states(),
        }
    }

    pub fn final_state(&self, side: Side) -> TcpState {
        self.final_states[side]
    }
}

fn open_kind(conn: &Connection, client: Side, server: Side) -> OpenKind {
    let c = conn.dir(client);
    let s = conn.dir(server);
    if c.syn_count > 0 && s.syn_count > 0 {
        return OpenKind::SimultaneousOpen;
    }
    if c.syn_count == 0 && s.syn_ack_count == 0 {
        return OpenKind::AlreadyOpen;
    }
    if c.syn_count > 0 && s.syn_ack_count == 0 {
        if s.rst_count > 0 {
            return OpenKind::Refused;
        }
        if s.packets == 0 {
            return OpenKind::NoAnswer { syns: c.syn_count };
        }
        return OpenKind::IncompleteHandshake;
    }
    // SYN+ACK seen: complete when the server reached ESTABLISHED at some point.
    let server_established = conn
        .transitions
        .iter()
        .any(|t| t.side == server && t.to == TcpState::Established);
    if c.syn_count > 0 && server_established {
        OpenKind::ThreeWayHandshake
    } else {
        OpenKind::IncompleteHandshake
    }
}

fn close_kind(conn: &Connection) -> CloseKind {
    let [a, b] = &conn.dirs.0;
    let first_rst = match (a.first_rst, b.first_rst) {
        (Some(x), Some(y)) => Some(if x <= y { Side::A } else { Side::B }),
        (Some(_), None) => Some(Side::A),
        (None, Some(_)) => Some(Side::B),
        (None, None) => None,
    };
    let first_fin = match (a.first_fin, b.first_fin) {
        (Some(x), Some(y)) => Some((if x <= y { Side::A } else { Side::B }, true)),
        (Some(_), None) => Some((Side::A, false)),
        (None, Some(_)) => Some((Side::B, false)),
        (None, None) => None,
    };
    match (first_rst, first_fin) {
        (Some(by), _) => {
            // A RST after both FINs were exchanged and acknowledged still ends it abruptly.
            CloseKind::Reset { by }
        }
        (None, None) => CloseKind::StillOpen,
        (None, Some((active, false))) => CloseKind::HalfClosedAtEnd { active },
        (None, Some((active, true))) => {
            let passive = active.other();
            let shape = conn.observer.close_shape();
            if shape.fins_crossed {
                CloseKind::Simultaneous { first: active }
            } else if conn.dir(passive).payload_after_peer_fin > 0 {
                CloseKind::HalfClose { active }
            } else if shape.fin_acked_separately {
                CloseKind::FourWay { active }
            } else {
                CloseKind::ThreeSegment { active }
            }
        }
    }
}

/// Zeek's conn_state, from what each side sent (originator = client).
fn conn_state(conn: &Connection, orig: Side, resp: Side) -> ConnState {
    let o = conn.dir(orig);
    let r = conn.dir(resp);
    let o_syn = o.syn_count > 0;
    let r_synack = r.syn_ack_count > 0 || r.syn_count > 0;
    let established = o_syn && r_synack;
    let (o_fin, r_fin) = (o.fin_count > 0, r.fin_count > 0);
    let (o_rst, r_rst) = (o.rst_count > 0, r.rst_count > 0);
    if r_rst {
        if o_syn && !r_synack {
            return ConnState::REJ;
        }
        if !o_syn && r_synack {
            return ConnState::RSTRH;
        }
        return if established || !o_syn {
            ConnState::RSTR
        } else {
            ConnState::REJ
        };
    }
    if o_rst {
        if o_syn && !r_synack && r.packets == 0 {
            return ConnState::RSTOS0;
        }
        return ConnState::RSTO;
    }
    if o_fin && r_fin {
        return if established || (!o_syn && !r_synack) {
            ConnState::SF
        } else {
            ConnState::OTH
        };
    }
    if o_fin {
        return if o_syn && !r_synack {
            ConnState::SH
        } else if established {
            ConnState::S2
        } else {
            ConnState::OTH
        };
    }
    if r_fin {
        return if !o_syn && r_synack {
            ConnState::SHR
        } else if established {
            ConnState::S3
        } else {
            ConnState::OTH
        };
    }
    if o_syn && r.packets == 0 {
        return ConnState::S0;
    }
    if established {
        return ConnState::S1;
    }
    ConnState::OTH
}
