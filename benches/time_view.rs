//! How long the ladder of one 150,000-packet connection takes to lay out and to draw one
//! frame, in the row view and in the time-to-scale view, in the real app run headless
//! (egui_kittest, no GPU: layout, tessellation and accessibility included, rasterising
//! not). Run: `cargo bench --bench time_view` (release build).
//!
//! The capture is made here: a bulk transfer with a 30 ms round trip (one ACK per two
//! segments), two idle pauses and a normal close.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ACK, End, FIN, Pcap, SYN};
use std::sync::Arc;
use std::time::Instant;
use tcp_ladder::ladder::{LadderOptions, ViewMode, layout};
use tcp_ladder::session::{LoadControl, Session};
use tcp_ladder::ui::canvas::{LadderView, RowLayout};

const PACKETS: usize = 150_000;

fn main() {
    let bytes = capture(PACKETS);
    let session = Session::load_bytes(
        std::path::Path::new("bulk.pcap"),
        Arc::from(bytes),
        &LoadControl::default(),
    )
    .unwrap();
    let conn = &session.connections[0];
    println!(
        "one connection of {} packets ({} in the capture)",
        conn.packet_count(),
        session.packets.len()
    );
    let options = LadderOptions {
        collapse_over: None,
        ..Default::default()
    };
    let start = Instant::now();
    let ladder = layout(&session, 0, &options);
    println!(
        "ladder model (every packet its own row):   {:>8.1} ms",
        ms(start)
    );
    for mode in [ViewMode::Rows, ViewMode::Time] {
        let start = Instant::now();
        let rows = RowLayout::new(&ladder, mode);
        let laid = ms(start);
        let view = LadderView::in_mode(ladder.clone(), mode);
        let _ = rows;
        let frame = draw_frames(view, 20);
        println!(
            "{mode:?} view: vertical layout {laid:>8.1} ms, one frame {frame:>6.2} ms (mean of 20, scrolled to the middle)"
        );
    }
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Mean time of one frame of the canvas showing `view`, scrolled to the middle.
fn draw_frames(view: LadderView, frames: usize) -> f64 {
    // Select the packet in the middle and keep it scrolled into view.
    let middle = (PACKETS / 2) as u32;
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(tcp_ladder::ui::install_style)
        .build_ui_state(
            move |ui, view: &mut LadderView| {
                let _ = tcp_ladder::ui::canvas::ladder_ui(
                    ui,
                    view,
                    Some(middle),
                    tcp_ladder::ui::canvas::Scroll::Selected,
                    Default::default(),
                );
            },
            view,
        );
    // Scrolling to the selection animates over a few frames: let it settle first.
    harness.run_steps(60);
    let start = Instant::now();
    for _ in 0..frames {
        harness.step();
    }
    ms(start) / frames as f64
}

/// A pcap of one bulk transfer: handshake, `packets` data segments and ACKs, close.
fn capture(packets: usize) -> Vec<u8> {
    let mut pcap = Pcap::new(packets * 80);
    let client = End {
        addr: [10, 0, 0, 1],
        port: 40000,
    };
    let server = End {
        addr: [10, 0, 0, 2],
        port: 5001,
    };
    let (mut cseq, mut sseq) = (1_000u32, 5_000u32);
    let mut t = 1_700_000_000_000_000u64; // µs
    pcap.push(t, client, server, cseq, 0, SYN, 0);
    t += 30_000;
    pcap.push(t, server, client, sseq, cseq + 1, SYN | ACK, 0);
    cseq += 1;
    sseq += 1;
    t += 50;
    pcap.push(t, client, server, cseq, sseq, ACK, 0);
    let mss = 1448u32;
    let mut sent = 0;
    while sent + 3 < packets {
        // Two segments out, one ACK back for them (its answer to data 30 ms earlier).
        for _ in 0..2 {
            t += 100;
            pcap.push(t, client, server, cseq, sseq, ACK, mss as usize);
            cseq = cseq.wrapping_add(mss);
        }
        t += 20;
        pcap.push(t, server, client, sseq, cseq.wrapping_sub(40 * mss), ACK, 0);
        sent += 3;
        if sent % 60_000 < 3 {
            t += 12_000_000; // an idle pause
        }
    }
    t += 1000;
    pcap.push(t, client, server, cseq, sseq, FIN | ACK, 0);
    t += 30_000;
    pcap.push(t, server, client, sseq, cseq + 1, FIN | ACK, 0);
    t += 50;
    pcap.push(t, client, server, cseq + 1, sseq + 1, ACK, 0);
    pcap.bytes
}
