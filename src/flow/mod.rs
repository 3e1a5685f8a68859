//! Rebuilding TCP connections from segments: which connection each belongs to, its
//! relative numbers, each endpoint's inferred state, and how the connection opened and
//! closed. Pure logic over [`Segment`]s; knows nothing of files or screens.

pub mod analysis;
pub mod classify;
mod directory;
pub mod endpoint;
pub mod history;
pub mod key;
pub mod seq;
mod spill;
pub mod table;

pub use analysis::{Analysis, AnalysisFlags, Flag, WindowScale};
pub use classify::{CloseKind, ConnState, OpenKind, Summary};
pub use endpoint::{Cause, MissedPacket, TcpState, Transition};
pub use key::{ConnKey, Endpoint, PerSide, Side};
pub use table::{Connection, FlowTable, Placement, RoleSource, Rows, Segment};

#[cfg(test)]
mod tests;
