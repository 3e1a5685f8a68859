//! Live input: captures that grow while we watch, the capture tool run as a child
//! process, and the socket lab that makes real connections on loopback.
//!
//! - [`growing`]: a session that grows one frame at a time, sending the app only what
//!   changed ([`Growth`], [`Delta`]); loading a file whole gives the same result.
//! - [`capture_child`]: `dumpcap`/`tcpdump` started as a child process writing pcap(ng) to
//!   its standard output, with a checked capture filter. No capture library is linked and
//!   this program needs no privileges of its own.
//! - [`kernel_states`]: the kernel's own state of each socket, from `/proc/net/tcp{,6}`.
//! - [`lab`]: the tutorials' socket experiment, step by step, on 127.0.0.1.
//! - [`feed`]: a running capture read on a thread, its frames kept until taken.
//! - [`save`]: frames written as pcapng with the interface and filter recorded.
//! - [`interfaces`]: the machine's network interfaces, from `/sys/class/net`.
//!
//! These are the only modules that touch the operating system beyond reading files; each
//! sits behind a small interface the tests can drive.

pub mod capture_child;
pub mod feed;
pub mod growing;
pub mod interfaces;
pub mod kernel_states;
pub mod lab;
pub mod save;

pub use growing::{Delta, Growth};
