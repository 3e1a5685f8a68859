//! Mutation testing: randomly truncated, bit-flipped, byte-poked and spliced versions of
//! every sample go through capture → decode → flow → ladder layout → text export
//! (tcpdump lines, TSV, ASCII ladder, explanations, field trees). Nothing may panic —
//! the test profile builds with `overflow-checks = true`, so an arithmetic overflow on a
//! value from the file is a panic too.
//!
//! CI runs `MUTATIONS` inputs (default 20,000, a few seconds). A longer local run:
//! `MUTATIONS=1000000 cargo test --release --test integration mutation::` (see README for
//! its result).
//! A crash found this way becomes a file in `tests/regressions/` named after what it
//! caught; every file there is replayed first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use std::path::Path;
use std::sync::Arc;
use tcp_ladder::capture;
use tcp_ladder::export::tables::PacketRow;
use tcp_ladder::export::tcpdump::TcpdumpPrinter;
use tcp_ladder::flow::FlowTable;
use tcp_ladder::ladder::{LadderOptions, explain, layout};
use tcp_ladder::session::{LoadControl, Session, scan};

/// xorshift64*: deterministic, seedable, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: [u8; 8] = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x05, 0x0f, 0xf0];

fn mutate(rng: &mut Rng, inputs: &[Vec<u8>]) -> Vec<u8> {
    let base = &inputs[rng.below(inputs.len())];
    let mut bytes = base.clone();
    for _ in 0..1 + rng.below(4) {
        match rng.below(6) {
            0 => bytes.truncate(rng.below(bytes.len() + 1)),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(bytes.len());
                    if let Some(b) = bytes.get_mut(i) {
                        *b ^= 1 << rng.below(8);
                    }
                }
            }
            2 => {
                let i = rng.below(bytes.len());
                if let Some(b) = bytes.get_mut(i) {
                    *b = INTERESTING[rng.below(INTERESTING.len())];
                }
            }
            3 => {
                // splice: our prefix, another sample's suffix
                let other = &inputs[rng.below(inputs.len())];
                let cut = rng.below(bytes.len() + 1);
                let from = rng.below(other.len() + 1);
                bytes.truncate(cut);
                bytes.extend_from_slice(&other[from..]);
            }
            4 => {
                // overwrite a 32-bit field (lengths live in 32-bit fields) with an extreme
                let i = rng.below(bytes.len().saturating_sub(4));
                let v = [0u32, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 12, 1][rng.below(6)];
                if let Some(s) = bytes.get_mut(i..i + 4) {
                    s.copy_from_slice(&v.to_le_bytes());
                }
            }
            _ => {
                // duplicate a chunk
                let a = rng.below(bytes.len());
                let b = (a + rng.below(200)).min(bytes.len());
                let chunk = bytes[a..b].to_vec();
                let at = rng.below(bytes.len());
                bytes.splice(at..at, chunk);
            }
        }
    }
    bytes
}

/// Everything a file can go through.
fn pipeline(bytes: &[u8]) {
    let data: Arc<[u8]> = Arc::from(bytes);
    if let Ok(mut reader) = capture::open_bytes(Path::new("m"), data.clone()) {
        let mut table = FlowTable::new();
        let mut printer = TcpdumpPrinter::new(false);
        let mut absolute = TcpdumpPrinter::new(true);
        scan(&mut reader, &mut table, &LoadControl::default(), |f, _| {
            let _ = printer.line(f.frame, f.decoded);
            let _ = absolute.line(f.frame, f.decoded);
            let _ = PacketRow::of(f).map(|r| r.tsv());
        });
        let _ = table.finish();
    }
    let Ok(session) = Session::load_bytes(Path::new("m"), data, &LoadControl::default()) else {
        return;
    };
    for conn in session.connections.iter().take(8) {
        let options = LadderOptions {
            collapse_over: Some(3),
            ..LadderOptions::default()
        };
        let ladder = layout(&session, conn.stream(), &options);
        let _ = tcp_ladder::export::ascii::render(&ladder);
        let _ = tcp_ladder::export::tables::FlowRow::of(conn);
        for &p in session.packet_indices(conn.stream()).iter().take(16) {
            let _ = explain(&session, p);
            let _ = session.packet_fields(p);
        }
        let _ = tcp_ladder::export::svg::render(&ladder);
        let _ = tcp_ladder::export::follow::follow(&session, conn.stream());
        let _ = tcp_ladder::graphs::stream_graphs(&session, conn.stream(), conn.client());
    }
}

#[test]
fn regression_files_still_load() {
    let dir = repo().join("tests/regressions");
    if dir.is_dir() {
        for f in files_in(&dir) {
            pipeline(&std::fs::read(&f).unwrap());
        }
    }
}

#[test]
fn mutated_samples_never_panic() {
    let count: usize = std::env::var("MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    // The link-layer samples too, so every decoder (PPPoE, MPLS, 802.11, NFLOG, tunnels,
    // IPv6 extension headers…) is fed damaged input.
    let inputs: Vec<Vec<u8>> = samples()
        .iter()
        .chain(link_samples().iter())
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let seed: u64 = std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1adde5);
    let mut rng = Rng(seed);
    let out = std::env::temp_dir().join("tcp-ladder-mutation-crash.bin");
    for i in 0..count {
        let bytes = mutate(&mut rng, &inputs);
        let result = std::panic::catch_unwind(|| pipeline(&bytes));
        if result.is_err() {
            // Save it to become a regression file in tests/regressions/.
            std::fs::write(&out, &bytes).unwrap();
            panic!(
                "input {i} (seed {seed}) panicked; it is saved at {}",
                out.display()
            );
        }
    }
    println!("{count} mutated inputs, no panic");
}
