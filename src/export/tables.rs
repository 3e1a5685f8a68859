//! Packet rows (TSV and JSON) and the connection table (`flows`), as the commands print
//! them. Relative numbers here are Wireshark's; tcpdump's own are in [`super::tcpdump`].

use crate::flow::{Connection, Side};
use crate::session::ScannedFrame;
use crate::timeline::pair::{Both, File};
use std::fmt::Write;

/// The TSV header of `packets --format tsv`.
pub const PACKET_TSV_HEADER: &str = "frame\tstream\tsrc\tsport\tdst\tdport\tflags\trel_seq\trel_ack\traw_seq\traw_ack\tlen\twin\tanalysis";

/// One packet as a row, for TSV and JSON.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PacketRow {
    pub frame: u64,
    pub stream: u32,
    pub src: String,
    pub sport: u16,
    pub dst: String,
    pub dport: u16,
    pub flags: String,
    pub rel_seq: u32,
    pub rel_ack: Option<u32>,
    pub raw_seq: u32,
    pub raw_ack: u32,
    pub len: u32,
    pub win: u16,
    pub analysis: Vec<String>,
    /// For a duplicate ACK: its number and the frame it duplicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_ack: Option<(u32, u64)>,
    /// For a retransmission: the frame whose bytes it sends again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retransmits_frame: Option<u64>,
    /// Its packet comments (pcapng `opt_comment`), in JSON only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
}

impl PacketRow {
    /// The row of a scanned TCP frame (None for frames without a placed TCP segment).
    pub fn of(f: &ScannedFrame<'_, '_>) -> Option<PacketRow> {
        let (p, s) = (f.placement?, f.segment?);
        Some(PacketRow {
            frame: s.frame,
            stream: p.stream,
            src: s.src.addr.to_string(),
            sport: s.src.port,
            dst: s.dst.addr.to_string(),
            dport: s.dst.port,
            flags: s.flags.tcpdump_letters(),
            rel_seq: p.rel_seq,
            rel_ack: p.rel_ack,
            raw_seq: s.seq,
            raw_ack: s.ack,
            len: s.payload_len,
            win: s.window,
            analysis: p
                .analysis
                .flags
                .field_names()
                .into_iter()
                .map(str::to_string)
                .collect(),
            duplicate_ack: (p.analysis.dup_ack_num > 0)
                .then_some((p.analysis.dup_ack_num, p.analysis.dup_ack_frame)),
            retransmits_frame: (p.analysis.retransmits_frame > 0)
                .then_some(p.analysis.retransmits_frame),
            comments: f.frame.comments.to_vec(),
        })
    }

    pub fn tsv(&self) -> String {
        let mut out = String::with_capacity(120);
        let _ = write!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t",
            self.frame,
            self.stream,
            self.src,
            self.sport,
            self.dst,
            self.dport,
            self.flags,
            self.rel_seq
        );
        if let Some(a) = self.rel_ack {
            let _ = write!(out, "{a}");
        }
        let _ = write!(
            out,
            "\t{}\t{}\t{}\t{}\t{}",
            self.raw_seq,
            self.raw_ack,
            self.len,
            self.win,
            self.analysis.join(",")
        );
        out
    }
}

/// One connection as the `flows` command shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FlowRow {
    pub stream: u32,
    pub client: String,
    pub server: String,
    pub roles_known: bool,
    pub packets_client_to_server: u64,
    pub packets_server_to_client: u64,
    pub bytes_client_to_server: u64,
    pub bytes_server_to_client: u64,
    pub duration: f64,
    pub conn_state: String,
    pub history: String,
    pub open: String,
    pub close: String,
    pub client_final_state: String,
    pub server_final_state: String,
    /// Handshake round-trip time in seconds (SYN to the ACK that completes it).
    pub handshake_rtt: Option<f64>,
    /// How many packets carry each analysis flag (only flags that occur).
    pub analysis: std::collections::BTreeMap<String, u32>,
}

/// "client" and "server", or "A" and "B" when the roles are unknown (English, for the
/// command-line tables).
pub fn role_name(conn: &Connection, side: Side) -> &'static str {
    crate::ladder::phases::who(conn, side, crate::i18n::Lang::En.texts())
}

/// The close kind in words, naming who closed first.
pub fn close_label(conn: &Connection) -> String {
    use crate::flow::CloseKind;
    let who = |s: Side| role_name(conn, s);
    match conn.summary().close {
        CloseKind::FourWay { active } => format!("four-way teardown, {} closed first", who(active)),
        CloseKind::ThreeSegment { active } => {
            format!("three-segment close, {} closed first", who(active))
        }
        CloseKind::Simultaneous { .. } => "simultaneous close".to_string(),
        CloseKind::HalfClose { active } => format!(
            "half-close: {} closed first, {} kept sending",
            who(active),
            who(active.other())
        ),
        CloseKind::Reset { by } => format!("reset by {}", who(by)),
        CloseKind::HalfClosedAtEnd { active } => format!(
            "half-closed at end of capture: {} closed first, {} in {}",
            who(active),
            who(active.other()),
            conn.summary().final_state(active.other())
        ),
        CloseKind::StillOpen => "still open at end of capture".to_string(),
        CloseKind::NeverOpened => "never opened (no SYN answered)".to_string(),
    }
}

impl FlowRow {
    pub fn of(conn: &Connection) -> FlowRow {
        let (c, s) = (conn.client(), conn.server());
        let summary = conn.summary();
        FlowRow {
            stream: conn.stream(),
            client: conn.endpoint(c).to_string(),
            server: conn.endpoint(s).to_string(),
            roles_known: conn.roles_known(),
            packets_client_to_server: conn.dir(c).packets,
            packets_server_to_client: conn.dir(s).packets,
            bytes_client_to_server: conn.dir(c).payload_bytes,
            bytes_server_to_client: conn.dir(s).payload_bytes,
            duration: conn.duration(),
            conn_state: summary.conn_state.code().to_string(),
            history: summary.history.clone(),
            open: summary.open.label(),
            close: close_label(conn),
            client_final_state: summary.final_state(c).to_string(),
            server_final_state: summary.final_state(s).to_string(),
            handshake_rtt: conn.handshake_rtt(),
            analysis: crate::flow::Flag::ALL
                .iter()
                .filter(|f| conn.flag_count(**f) > 0)
                .map(|f| (f.field_name().to_string(), conn.flag_count(*f)))
                .collect(),
        }
    }
}

/// The `flows` table's column headings.
const FLOWS_HEADER: [&str; 15] = [
    "stream",
    "client",
    "server",
    "pkts c>s",
    "pkts s>c",
    "bytes c>s",
    "bytes s>c",
    "duration",
    "state",
    "history",
    "open",
    "close",
    "client final",
    "server final",
    "analysis",
];

/// One connection's cells in the `flows` table.
fn flow_cells(c: &Connection) -> [String; 15] {
    let r = FlowRow::of(c);
    let (client, server) = if r.roles_known {
        (r.client, r.server)
    } else {
        (format!("A {}", r.client), format!("B {}", r.server))
    };
    [
        r.stream.to_string(),
        client,
        server,
        r.packets_client_to_server.to_string(),
        r.packets_server_to_client.to_string(),
        r.bytes_client_to_server.to_string(),
        r.bytes_server_to_client.to_string(),
        format!("{:.6}", r.duration),
        r.conn_state,
        r.history,
        r.open,
        r.close,
        r.client_final_state,
        r.server_final_state,
        r.analysis
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
    ]
}

/// The `flows` table one line at a time (each ending in a newline), without holding the
/// whole table in memory: `walk` visits every connection once, in stream order; each
/// row's cells are made then, measured, and kept (in memory up to a few MiB, then in a
/// private temporary file) until the columns' widths are known.
pub fn flows_lines(
    walk: impl FnOnce(&mut dyn FnMut(&Connection)),
    mut emit: impl FnMut(&str),
) -> std::io::Result<()> {
    /// Between two cells of a kept row (no cell has one: they are addresses, numbers
    /// and words).
    const SEPARATOR: char = '\u{1f}';
    let mut columns = Columns::new(&FLOWS_HEADER);
    let mut kept = Held::default();
    let mut written = Ok(());
    let mut line = String::new();
    walk(&mut |conn| {
        let cells = flow_cells(conn);
        columns.measure(&cells);
        if written.is_ok() {
            line.clear();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    line.push(SEPARATOR);
                }
                line.push_str(cell);
            }
            line.push('\n');
            written = kept.write(line.as_bytes());
        }
    });
    let held = |e: std::io::Error| {
        std::io::Error::new(
            e.kind(),
            format!("keeping the table's rows until it is aligned: {e}"),
        )
    };
    written.map_err(held)?;
    emit(&columns.line(&mut FLOWS_HEADER.iter().copied()));
    kept.lines(|row| emit(&columns.line(&mut row.split(SEPARATOR))))
        .map_err(held)
}

/// Bytes written once and read back once, in order: in memory up to a few MiB, then in
/// a private temporary file (or still in memory if none can be made).
#[derive(Default)]
struct Held {
    memory: Vec<u8>,
    file: Option<(std::io::BufWriter<std::fs::File>, tempfile::TempPath)>,
    /// No temporary file could be made: memory keeps everything.
    in_memory_only: bool,
}

impl Held {
    /// Bytes kept in memory before they move to a file.
    const IN_MEMORY: usize = 4 << 20;

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write as _;
        if let Some((file, _)) = &mut self.file {
            return file.write_all(bytes);
        }
        self.memory.extend_from_slice(bytes);
        if self.memory.len() >= Self::IN_MEMORY && !self.in_memory_only {
            match crate::capture::private_temp_file("flows-rows") {
                Ok((file, path)) => {
                    let mut file = std::io::BufWriter::new(file);
                    file.write_all(&std::mem::take(&mut self.memory))?;
                    self.file = Some((file, path));
                }
                Err(_) => self.in_memory_only = true,
            }
        }
        Ok(())
    }

    /// Each line written, without its newline.
    fn lines(self, mut each: impl FnMut(&str)) -> std::io::Result<()> {
        use std::io::{BufRead, Seek};
        let Some((file, _path)) = self.file else {
            String::from_utf8_lossy(&self.memory).lines().for_each(each);
            return Ok(());
        };
        let mut file = file.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        for line in std::io::BufReader::new(file).lines() {
            each(&line?);
        }
        Ok(())
    }
}

/// Columns padded to their widest cell, two spaces apart.
fn aligned<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> String {
    let mut columns = Columns::new(header);
    for row in rows {
        columns.measure(row.as_ref());
    }
    let mut out = columns.line(&mut header.iter().copied());
    for row in rows {
        out.push_str(&columns.line(&mut row.as_ref().iter().map(String::as_str)));
    }
    out
}

/// The widths of a text table's columns: each its widest cell, the heading included.
struct Columns {
    widths: Vec<usize>,
}

impl Columns {
    fn new(header: &[&str]) -> Columns {
        Columns {
            widths: header.iter().map(|h| h.chars().count()).collect(),
        }
    }

    fn measure(&mut self, cells: &[String]) {
        for (w, cell) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(cell.chars().count());
        }
    }

    /// One line: each cell padded to its column's width, two spaces apart, no trailing
    /// spaces, ending in a newline.
    fn line(&self, cells: &mut dyn Iterator<Item = &str>) -> String {
        let mut l = String::new();
        for (i, (cell, w)) in cells.zip(self.widths.iter()).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            let _ = write!(l, "{cell:<w$}");
        }
        l.truncate(l.trim_end().len());
        l.push('\n');
        l
    }
}

/// `flows --other-end`: one row per connection seen in both captures — its stream in
/// each, the client and server as each end saw them, the one-way delays, what was seen at
/// one end only and what the path changed — then the clock and the unmatched ones.
pub fn two_ends_text(ends: &crate::timeline::TwoEnds) -> String {
    let header = [
        "stream",
        "other",
        "client (at client → at server)",
        "server (at client → at server)",
        "c>s delay",
        "s>c delay",
        "only c>s",
        "only s>c",
        "changed",
    ];
    let delay = |d: Option<crate::timeline::pair::DelayStats>| {
        d.map_or("-".to_string(), |d| crate::units::human_delay(d.median))
    };
    let rows: Vec<Vec<String>> = ends
        .connections
        .iter()
        .map(|c| {
            let r = &c.rewrites;
            let mut changed = Vec::new();
            if r.client_mapped.is_some() || r.server_mapped.is_some() {
                changed.push("NAT".to_string());
            }
            for m in &r.mss {
                changed.push(format!("MSS {}→{}", m.from, m.to));
            }
            if r.ttl_to_server.is_some() || r.ttl_to_client.is_some() {
                changed.push("TTL".to_string());
            }
            if r.window_changed != Both::default() {
                changed.push("window".to_string());
            }
            if r.options_changed != Both::default() {
                changed.push("options".to_string());
            }
            vec![
                c.streams[File::First].to_string(),
                c.streams[File::Other].to_string(),
                format!("{} → {}", c.client_seen_as[0], c.client_seen_as[1]),
                format!("{} → {}", c.server_seen_as[0], c.server_seen_as[1]),
                delay(c.to_server),
                delay(c.to_client),
                c.lost_to_server.to_string(),
                c.lost_to_client.to_string(),
                if changed.is_empty() {
                    "-".to_string()
                } else {
                    changed.join(", ")
                },
            ]
        })
        .collect();
    let mut out = aligned(&header, &rows);
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", (crate::i18n::Lang::En.ends().clock)(&ends.clock));
    let Both([a, b]) = &ends.unmatched;
    let _ = writeln!(
        out,
        "Connections without a counterpart: {} in the first capture, {} in the other.",
        a.len(),
        b.len()
    );
    out
}
