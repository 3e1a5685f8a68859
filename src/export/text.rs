//! Text export of one connection: its ASCII ladder followed by its tcpdump lines, for a
//! file or the clipboard; or of one step of step mode: the rows revealed and the lines
//! of the packets they show.

use super::tcpdump::TcpdumpPrinter;
use crate::ladder::{Ladder, Row, Step};
use crate::session::Session;

/// The tcpdump lines of one connection (tcpdump numbers relative from its first ACK).
pub fn tcpdump_lines(session: &Session, stream: u32, absolute: bool) -> Vec<String> {
    tcpdump_lines_until(session, stream, absolute, u64::MAX)
}

/// The tcpdump lines of one connection's frames up to `last_frame`.
fn tcpdump_lines_until(
    session: &Session,
    stream: u32,
    absolute: bool,
    last_frame: u64,
) -> Vec<String> {
    let mut printer = TcpdumpPrinter::new(absolute);
    session
        .connection_packets(stream)
        .take_while(|p| p.frame() <= last_frame)
        .filter_map(|p| {
            session
                .with_decoded(p, |frame, decoded| printer.line(frame, decoded))
                .flatten()
        })
        .collect()
}

/// One step of step mode: its ASCII ladder, then the tcpdump lines of the packets its
/// rows show.
pub fn step_text(session: &Session, stream: u32, step: &Step, absolute: bool) -> String {
    let mut out = super::ascii::render_step(step);
    let last_frame = step
        .ladder
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Packet(a) => Some(a.frame),
            Row::Collapsed { last_frame, .. } => Some(*last_frame),
            Row::Unseen(_) => None,
        })
        .max()
        .unwrap_or(0);
    out.push_str("\ntcpdump lines:\n");
    for line in tcpdump_lines_until(session, stream, absolute, last_frame) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The ASCII ladder, then the tcpdump lines.
pub fn connection_text(session: &Session, stream: u32, ladder: &Ladder, absolute: bool) -> String {
    let mut out = super::ascii::render(ladder);
    out.push_str("\ntcpdump lines:\n");
    for line in tcpdump_lines(session, stream, absolute) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
