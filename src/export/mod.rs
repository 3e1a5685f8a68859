//! Writers of what the commands print: tcpdump lines, packet tables (TSV, JSON), the
//! connection table, and the ASCII ladder. None of them knows about windows.

pub mod ascii;
pub mod follow;
pub mod json;
mod mptcp;
pub mod svg;
pub mod tables;
pub mod tcpdump;
pub mod text;
