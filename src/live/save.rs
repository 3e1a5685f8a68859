//! Frames written as pcapng with the interface and filter recorded: the writer lives in
//! [`crate::capture::write`] (shared with saving packet notes); this is its old address.

pub use crate::capture::write::{CaptureOrigin, PcapngSaver, save_all};
