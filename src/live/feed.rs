//! A running capture read on a thread: [`LiveCapture`] starts the capture tool
//! ([`super::capture_child`]), reads its standard output as a capture stream and keeps the
//! frames it gives, for whoever wants them next ([`LiveCapture::take_new`]).
//!
//! Memory stays bounded: at most [`MAX_PENDING`] frames wait to be taken; beyond that
//! the oldest waiting ones are dropped and counted.

use super::capture_child::{CaptureChild, CaptureSpec, StartError};
use crate::capture::{self, CaptureWarning, Frame, LinkType, ProgressCounter, Timestamp};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Frames waiting to be taken, at most.
pub const MAX_PENDING: usize = 200_000;

/// A frame with its own bytes (it outlives the reader's buffer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedFrame {
    pub number: u64,
    pub ts: Timestamp,
    pub link: LinkType,
    pub interface: u32,
    pub original_len: u32,
    pub data: Vec<u8>,
    pub data_offset: u64,
    pub comments: Vec<String>,
}

impl OwnedFrame {
    pub fn of(frame: &Frame<'_>) -> OwnedFrame {
        OwnedFrame {
            number: frame.number,
            ts: frame.ts,
            link: frame.link,
            interface: frame.interface,
            original_len: frame.original_len,
            data: frame.data.to_vec(),
            data_offset: frame.data_offset,
            comments: frame.comments.to_vec(),
        }
    }

    pub fn frame(&self) -> Frame<'_> {
        Frame {
            number: self.number,
            ts: self.ts,
            link: self.link,
            interface: self.interface,
            original_len: self.original_len,
            data: &self.data,
            data_offset: self.data_offset,
            comments: &self.comments,
        }
    }
}

#[derive(Default)]
struct Shared {
    pending: Mutex<Vec<OwnedFrame>>,
    warnings: Mutex<Vec<CaptureWarning>>,
    received: AtomicU64,
    dropped: AtomicU64,
    ended: AtomicBool,
    last_frame: Mutex<Option<Instant>>,
}

/// A capture tool running, its output read on a thread.
pub struct LiveCapture {
    child: CaptureChild,
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LiveCapture {
    /// Start the tool and the reading thread; returns once the tool is capturing.
    pub fn start(spec: &CaptureSpec) -> Result<LiveCapture, StartError> {
        let (child, stdout) = CaptureChild::start(spec)?;
        let shared = Arc::new(Shared::default());
        let worker = shared.clone();
        let tool = child.tool().name().to_string();
        let thread = std::thread::Builder::new()
            .name("tcp-ladder-capture".into())
            .spawn(move || read_all(Box::new(stdout), &worker))
            .map_err(|e| StartError::Failed {
                tool,
                message: e.to_string(),
            })?;
        Ok(LiveCapture {
            child,
            shared,
            thread: Some(thread),
        })
    }

    /// The frames that arrived since the last call.
    pub fn take_new(&self) -> Vec<OwnedFrame> {
        self.shared
            .pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    /// Frames received so far (taken or not), and frames dropped because nobody took them.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.shared.received.load(Ordering::Relaxed),
            self.shared.dropped.load(Ordering::Relaxed),
        )
    }

    /// Wait until no frame has arrived for `quiet` (traffic has settled), at most `max`.
    pub fn wait_quiet(&self, quiet: Duration, max: Duration) {
        let started = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(20));
            let last = self.shared.last_frame.lock().ok().and_then(|l| *l);
            // Quiet since the later of the call and the last frame: a frame from before
            // the call does not end the wait at once.
            let since = last.map_or(started.elapsed(), |t| t.elapsed().min(started.elapsed()));
            if since >= quiet || started.elapsed() >= max || self.ended() {
                return;
            }
        }
    }

    /// Whether the stream has ended (the tool stopped or failed).
    pub fn ended(&self) -> bool {
        self.shared.ended.load(Ordering::Relaxed)
    }

    /// Warnings from reading the stream.
    pub fn warnings(&self) -> Vec<CaptureWarning> {
        self.shared
            .warnings
            .lock()
            .map(|w| w.clone())
            .unwrap_or_default()
    }

    /// What the tool printed on its standard error.
    pub fn tool_messages(&self) -> String {
        self.child.stderr_text()
    }

    /// Stop the tool and wait for the reading thread to take the last frames.
    pub fn stop(&mut self) {
        self.child.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for LiveCapture {
    fn drop(&mut self) {
        self.stop();
    }
}

fn read_all(input: Box<dyn std::io::Read + Send>, shared: &Shared) {
    let name = Path::new("capture");
    if let Ok(mut reader) = capture::open_reader(name, input, ProgressCounter::default(), None) {
        while let Some(frame) = reader.next_frame() {
            let owned = OwnedFrame::of(&frame);
            shared.received.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut pending) = shared.pending.lock() {
                if pending.len() >= MAX_PENDING {
                    pending.remove(0);
                    shared.dropped.fetch_add(1, Ordering::Relaxed);
                }
                pending.push(owned);
            }
            if let Ok(mut last) = shared.last_frame.lock() {
                *last = Some(Instant::now());
            }
        }
        if let Ok(mut w) = shared.warnings.lock() {
            *w = reader.warnings();
        }
    }
    shared.ended.store(true, Ordering::Relaxed);
}
