//! Text export of one connection: its ASCII ladder followed by its tcpdump lines, for a
//! file or the clipboard.

use super::tcpdump::TcpdumpPrinter;
use crate::ladder::Ladder;
use crate::session::Session;

/// The tcpdump lines of one connection (tcpdump numbers relative from its first ACK).
pub fn tcpdump_lines(session: &Session, stream: u32, absolute: bool) -> Vec<String> {
    let mut printer = TcpdumpPrinter::new(absolute);
    session
        .connection_packets(stream)
        .filter_map(|p| {
            session
                .with_decoded(p, |frame, decoded| printer.line(frame, decoded))
                .flatten()
        })
        .collect()
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
