//! Deterministic builders for the teaching captures in `samples/` and for a
//! large benchmark capture.
//!
//! The crate is split by concern:
//! - [`time`]: UTC calendar times as the `Duration`s capture files store;
//! - [`rng`]: a tiny fixed-seed PRNG (no outside randomness, ever);
//! - [`segment`]: one TCP segment and its IPv4/IPv6 encoding;
//! - [`link`]: link-layer framing (Ethernet, 802.1Q, QinQ, Linux SLL v1/v2, raw IP);
//! - [`sink`]: writing frames to pcap and pcapng files;
//! - [`conversation`]: a two-endpoint TCP model that keeps seq/ack/TS numbers right;
//! - [`samples`]: every small sample file, one module per group;
//! - [`big`]: the streaming generator behind `make-big-capture`.

pub mod big;
pub mod conversation;
pub mod link;
pub mod rng;
pub mod samples;
pub mod segment;
pub mod sink;
pub mod time;
