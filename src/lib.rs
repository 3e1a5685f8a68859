//! # tcp-ladder
//!
//! Opens pcap and pcapng captures, rebuilds the TCP connections in them, and draws each
//! connection as a ladder diagram that teaches: states, phases and exact numbers.
//!
//! Data flows one way, left to right; each module depends only on those to its left:
//!
//! ```text
//! bytes ─► capture ─► decode ─► flow ─► session ─► timeline ─► ladder ─► export (text)
//!          frames     headers   conns,  what the   sent and     pure        └► ui (eframe/egui)
//!                               states  app shows  arrived      layout
//!                                                  times
//!  stdin / FIFO / capture child ─► live (a growing session) ─┘
//! ```
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
