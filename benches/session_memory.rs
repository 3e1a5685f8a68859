//! What the app keeps per packet once a capture is loaded: resident memory after loading
//! `FILE` minus resident memory with the smallest bundled sample loaded, divided by the
//! packets. (The app adds its window and fonts to both; the difference is the session.)
//!
//! `cargo bench --bench session_memory -- FILE` (the 1,000,000-packet capture of
//! `benches/flows_vs_reference.sh`). Linux only: it reads `/proc/self/status`.

use std::path::Path;
use tcp_ladder::session::{LoadControl, PacketRecord, Session};

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let Some(file) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench session_memory -- FILE");
        return;
    };
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/refused.pcapng");
    let control = LoadControl::default();
    let baseline = Session::load_path(&small, &control).map(|s| s.packets.len());
    let before = resident_kib();
    let started = std::time::Instant::now();
    let session = match Session::load_path(Path::new(&file), &control) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let took = started.elapsed();
    let after = resident_kib();
    let packets = session.packets.len().max(1) as u64;
    println!(
        "smallest sample: {baseline:?} packets, {before} KiB resident; {file}: {packets} packets, {} connections, loaded in {:.2} s, {after} KiB resident",
        session.connections.len(),
        took.as_secs_f64()
    );
    println!(
        "per packet: {} B (PacketRecord is {} B)",
        (after.saturating_sub(before) * 1024) / packets,
        std::mem::size_of::<PacketRecord>()
    );
}
