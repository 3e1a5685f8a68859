//! # tcp-ladder
//!
//! Opens pcap and pcapng captures, rebuilds the TCP connections in them, and draws each
//! connection as a ladder diagram that teaches: states, phases and exact numbers.
//!
//! Data flows one way, left to right; each module uses only modules to its left
//! (`tests/layering.rs` checks it):
//!
//! ```text
//! bytes ─► capture ─► decode ─► flow ─► session ─► timeline ─► i18n ─► ladder ─► graphs
//!          frames     headers   conns,  what the   sent and    words   pure      export ─► live ─► cli
//!                               states  app shows  arrived     for     layout             └──────► ui
//!                                                  times       values
//! ```
//!
//! - `flow`, `session` and `timeline` return values (states, causes, flags, delays);
//!   `i18n` turns them into sentences in each language, and `ladder` asks it for them.
//! - `ladder` is the diagram as data; `graphs` and `export` read it, `export` never
//!   writes into it.
//! - `live` (growing sessions, the capture child, the socket lab) prints tcpdump lines
//!   through `export`; the `capture` and `lab` commands are `cli`'s
//!   ([`cli::live_commands`]).
//! - `samples` and `units` use nothing of ours; `cli` and `ui` are the two ends.
//!
//! Nothing left of `ui` uses egui. The ladder is computed once as plain data and drawn by
//! the text exporter and the egui canvas alike.

pub mod capture;
pub mod cli;
pub mod decode;
pub mod export;
pub mod flow;
pub mod graphs;
pub mod i18n;
pub mod ladder;
pub mod live;
pub mod samples;
pub mod session;
pub mod timeline;
pub mod ui;
pub mod units;
