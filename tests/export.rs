//! SVG and PNG export: the SVG of every sample is well-formed XML that resvg renders,
//! and carries every packet's label and every state box; the PNG has the requested size
//! and is not blank. `export --step K` draws step K of step mode: only the rows revealed,
//! and each lane's state then.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;
use common::*;
use tcp_ladder::export::svg;
use tcp_ladder::ladder::{LadderOptions, Row, layout};
use tcp_ladder::session::{LoadControl, Session};

#[test]
fn every_sample_svg_parses_and_names_every_packet_and_state() {
    for sample in samples() {
        let session = Session::load_path(&sample, &LoadControl::default()).unwrap();
        for conn in &session.connections {
            let options = LadderOptions {
                collapse_over: None,
                ..LadderOptions::default()
            };
            let ladder = layout(&session, conn.stream(), &options);
            let doc = svg::render(&ladder);
            let xml = roxmltree::Document::parse(&doc)
                .unwrap_or_else(|e| panic!("{}: {e}", name(&sample)));
            let text: String = xml
                .descendants()
                .filter(|n| n.is_text())
                .map(|n| n.text().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            for row in &ladder.rows {
                let Row::Packet(a) = row else { continue };
                assert!(
                    text.contains(&a.flags) && text.contains(&a.detail),
                    "{}: label of frame {}",
                    name(&sample),
                    a.frame
                );
                for b in &a.states {
                    for t in &b.transitions {
                        assert!(
                            text.contains(t.to.rfc_name()),
                            "{}: state {} of frame {}",
                            name(&sample),
                            t.to,
                            a.frame
                        );
                    }
                }
            }
            for band in &ladder.bands {
                assert!(
                    text.contains(&band.title),
                    "{}: band {}",
                    name(&sample),
                    band.title
                );
            }
        }
    }
}

#[test]
fn png_has_the_requested_size_and_is_not_blank() {
    let session = Session::load_path(
        &repo().join("samples/seed-handshake-client.pcapng"),
        &LoadControl::default(),
    )
    .unwrap();
    let ladder = layout(&session, 1, &LadderOptions::default());
    let doc = svg::render(&ladder);
    let (w, h) = svg::size(&ladder);
    let png = svg::png(&doc, 2.0).unwrap();
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert_eq!(
        (pixmap.width(), pixmap.height()),
        ((w * 2.0).ceil() as u32, (h * 2.0).ceil() as u32)
    );
    let pixels = pixmap.pixels();
    let light = pixels
        .iter()
        .filter(|p| p.red() > 200 && p.green() > 200 && p.blue() > 200)
        .count();
    let dark = pixels
        .iter()
        .filter(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80)
        .count();
    assert!(
        light > pixels.len() / 2,
        "a light background with light bands"
    );
    assert!(dark > 1000, "text and lifelines drawn ({dark} dark pixels)");
    // The blue of client→server arrows is there.
    assert!(
        pixels
            .iter()
            .any(|p| p.red() < 60 && p.blue() > 170 && p.green() < 120)
    );
}

#[test]
fn export_command_writes_svg_png_and_text() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for ext in ["svg", "png", "txt"] {
        let out = dir.join(format!("seed.{ext}"));
        let (code, _, err) = run(&[
            "export",
            "samples/seed-github.pcapng",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{ext}: {err}");
        let bytes = std::fs::read(&out).unwrap();
        match ext {
            "svg" => assert!(bytes.starts_with(b"<svg")),
            "png" => assert!(bytes.starts_with(b"\x89PNG")),
            _ => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains("Four-way teardown — server closed first"));
                assert!(text.contains("Flags [S.], seq 3859825850, ack 1337949937"));
            }
        }
    }
    let (code, _, err) = run(&[
        "export",
        "samples/seed-github.pcapng",
        "-o",
        dir.join("x.gif").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains(".svg, .png or .txt"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_huge_png_is_scaled_down_or_refused_not_allocated() {
    // A ladder of 5,000 rows: ~230,000 units tall.
    let tall = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="230000"><rect width="10" height="10"/></svg>"#;
    let err = svg::png(tall, 2.0).unwrap_err();
    assert!(err.contains("too long for a PNG"), "{err}");
    // 1,000 rows at scale 2 would be 1.3 GB: it is drawn smaller instead.
    let long = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="46000"><rect width="10" height="10"/></svg>"#;
    let png = svg::png(long, 2.0).unwrap();
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert!(
        f64::from(pixmap.width()) * f64::from(pixmap.height())
            <= svg::MAX_PNG_PIXELS + 2.0 * 46000.0
    );
}

#[test]
fn an_output_that_cannot_be_written_is_an_io_error_naming_the_path() {
    let sample = repo().join("samples/seed-github.pcapng");
    let output = std::env::temp_dir().join("tcp-ladder-no-such-dir/ladder.svg");
    let (code, _, err) = run(&[
        "export",
        sample.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(output.to_str().unwrap()), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    // In-process, the outcome says what kind of failure it was.
    let command = tcp_ladder::cli::Command::Export {
        file: sample,
        stream: 0,
        output: output.clone(),
        absolute: false,
        scale: 1.0,
        lang: tcp_ladder::i18n::Lang::En,
        view: tcp_ladder::cli::View::Rows,
        step: None,
        other: Default::default(),
    };
    let outcome = tcp_ladder::cli::run(&command, &mut Vec::new(), &mut Vec::new()).unwrap();
    assert!(
        matches!(outcome, tcp_ladder::cli::Outcome::WriteFailed(_)),
        "{outcome:?}"
    );
}

/// The text of an SVG document's text nodes, one per line.
fn svg_text(doc: &str) -> String {
    let xml = roxmltree::Document::parse(doc).unwrap();
    xml.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or("").trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The two states after "now" in a step's SVG text: [left, right].
fn svg_now(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| *l != "now")
        .skip(1)
        .take(2)
        .collect()
}

#[test]
fn a_step_export_shows_the_packets_revealed_and_the_states_then() {
    let sample = "samples/seed-handshake-client.pcapng";
    let session = Session::load_path(&repo().join(sample), &LoadControl::default()).unwrap();
    let ladder = layout(&session, 0, &LadderOptions::default());
    let arrows: Vec<_> = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) => Some(a),
            _ => None,
        })
        .collect();
    // Whole labels in the text; in the SVG the flags and the numbers are two texts.
    let labels: Vec<String> = arrows.iter().map(|a| a.label()).collect();
    let details: Vec<&str> = arrows.iter().map(|a| a.detail.as_str()).collect();
    assert!(labels.len() >= 3);
    assert!(labels[0].starts_with("SYN ") && labels[1].starts_with("SYN, ACK "));
    let dir = scratch_dir("step-export");
    let export = |step: &str, ext: &str| {
        let out = dir.join(format!("step{step}.{ext}"));
        let (code, _, err) = run(&[
            "export",
            sample,
            "--step",
            step,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        std::fs::read_to_string(&out).unwrap()
    };
    // After two packets: the SYN and the SYN-ACK, not the third; the client has its
    // SYN-ACK (ESTABLISHED), the server still waits for the last ACK (SYN-RECEIVED).
    let svg = svg_text(&export("2", "svg"));
    let total = ladder.rows.len();
    assert!(svg.contains(&format!("Step 2 / {total}")), "{svg}");
    assert!(
        svg.contains(details[0]) && svg.contains(details[1]),
        "{svg}"
    );
    assert!(!svg.contains(details[2]), "{svg}");
    assert_eq!(svg_now(&svg), ["ESTABLISHED", "SYN-RECEIVED"], "{svg}");

    let text = export("2", "txt");
    assert!(text.starts_with(&format!("Step 2 / {total}\n")), "{text}");
    assert!(
        text.contains(&labels[0]) && text.contains(&labels[1]),
        "{text}"
    );
    assert!(!text.contains(&labels[2]), "{text}");
    let now = text
        .lines()
        .find(|l| l.trim_start().starts_with("now:"))
        .unwrap();
    let states: Vec<&str> = now.split_whitespace().skip(1).collect();
    assert_eq!(states, ["ESTABLISHED", "SYN-RECEIVED"], "{text}");
    // Only the revealed packets' tcpdump lines.
    let lines = text.split("tcpdump lines:\n").nth(1).unwrap();
    assert_eq!(lines.lines().count(), 2, "{text}");

    // After the SYN alone: SYN-SENT and SYN-RECEIVED.
    let svg = svg_text(&export("1", "svg"));
    assert!(
        svg.contains(details[0]) && !svg.contains(details[1]),
        "{svg}"
    );
    assert_eq!(svg_now(&svg), ["SYN-SENT", "SYN-RECEIVED"], "{svg}");

    // Step 0: only the initial states; past the end: the whole ladder.
    let text = export("0", "txt");
    assert!(!text.contains(&labels[0]), "{text}");
    let all = export("99", "txt");
    assert!(
        all.starts_with(&format!("Step {total} / {total}\n")),
        "{all}"
    );
    assert!(labels.iter().all(|l| all.contains(l.as_str())), "{all}");
    std::fs::remove_dir_all(&dir).unwrap();
}
