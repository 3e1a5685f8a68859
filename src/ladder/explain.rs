//! One paragraph, in plain words, of what a packet does in its conversation: the step of
//! the handshake or teardown it is, what it acknowledges, and which states it changes.

use crate::session::Session;

/// The explanation of packet `packet_index` (an index into `Session::packets`).
pub fn explain(session: &Session, packet_index: u32) -> String {
    let _ = (session, packet_index);
    String::new()
}
