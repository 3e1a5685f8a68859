//! How fast a capture stream on standard input grows the app's session, and how much
//! memory that takes: `benches/live_stream.sh` (or `cargo bench --bench live_stream <
//! CAPTURE`). It does what the app does with `tcp-ladder -`, without a window: the stream
//! is spooled to a temporary file and read on a thread into a growing session; ten times
//! a second the delta is added to the session, the connection list is rebuilt and the
//! selected connection's ladder is laid out again. Prints packets/s and the peak resident
//! memory (VmHWM from /proc/self/status).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tcp_ladder::capture::{self, ProgressCounter, Spool};
use tcp_ladder::ladder::{LadderOptions, layout};
use tcp_ladder::live::Growth;
use tcp_ladder::session::{FrameSource, Session};
use tcp_ladder::ui::connections::ConnectionList;

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

fn main() {
    let spool = Arc::new(Spool::create().unwrap());
    let mut reader = capture::open_stream_path(
        Path::new("-"),
        ProgressCounter::default(),
        Some(spool.clone()),
    )
    .expect("a pcap or pcapng stream on standard input");
    let growth = Arc::new(Mutex::new(Growth::new()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started = Instant::now();
    let (g, d) = (growth.clone(), done.clone());
    let reading = std::thread::spawn(move || {
        while let Some(frame) = reader.next_frame() {
            g.lock().unwrap().push(&frame);
        }
        d.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.warnings()
    });
    let mut session = Session::empty("standard input".into(), FrameSource::Spool(spool));
    let mut refreshes = 0u32;
    let mut slowest = Duration::ZERO;
    loop {
        let ended = done.load(std::sync::atomic::Ordering::Relaxed);
        let t = Instant::now();
        let delta = growth.lock().unwrap().take_delta(Vec::new());
        session.apply(delta);
        let list = ConnectionList::new(&session, tcp_ladder::i18n::Lang::En);
        if let Some(stream) = session.first_handshake() {
            let ladder = layout(&session, stream, &LadderOptions::default());
            std::hint::black_box(ladder);
        }
        std::hint::black_box(list);
        slowest = slowest.max(t.elapsed());
        refreshes += 1;
        if ended {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let warnings = reading.join().unwrap();
    let secs = started.elapsed().as_secs_f64();
    let frames = session.stats.frames;
    println!(
        "{frames} frames, {} TCP packets, {} connections in {secs:.2} s: {:.0} packets/s; \
         {refreshes} refreshes (slowest {:.1} ms); peak memory {:.0} MiB; {} warning(s)",
        session.packets.len(),
        session.connections.len(),
        frames as f64 / secs,
        slowest.as_secs_f64() * 1000.0,
        peak_rss_mib(),
        warnings.len()
    );
}
