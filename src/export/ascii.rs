//! The ladder as ASCII art for the terminal: two columns, one arrow per packet with its
//! label, state changes beside each lane, and the phase titles.

use crate::ladder::{Ladder, LaneSide, Row};
use std::fmt::Write;

const STATE_COL: usize = 14;

pub fn render(ladder: &Ladder) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", ladder.title);
    let _ = writeln!(out, "{}", ladder.states_note);
    for note in &ladder.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    out.push('\n');
    let width = ladder
        .rows
        .iter()
        .map(|r| match r {
            Row::Packet(a) => a.label().chars().count() + 8,
            Row::Collapsed { .. } => 40,
        })
        .max()
        .unwrap_or(40)
        .max(40);
    let margin = 22; // time (12) + frame (6) + spaces
    let prefix = margin + STATE_COL + 1;
    let [left, right] = &ladder.lanes;
    let centre = |s: &str, w: usize| format!("{s:^w$}");
    let _ = writeln!(
        out,
        "{:prefix$}{}  {}",
        "",
        centre(&left.endpoint, 1),
        right.endpoint,
    );
    let _ = writeln!(
        out,
        "{:prefix$}{:<w$}{}",
        "",
        left.role,
        right.role,
        w = width + 2
    );
    let assumed = |a: bool| if a { " (assumed)" } else { "" };
    let _ = writeln!(
        out,
        "{:prefix$}{:<w$}{}{}",
        "",
        format!(
            "{}{}",
            left.initial_state,
            assumed(left.initial_assumed && left.initial_state.rfc_name() == "ESTABLISHED")
        ),
        right.initial_state,
        assumed(right.initial_assumed && right.initial_state.rfc_name() == "ESTABLISHED"),
        w = width + 2
    );
    for (i, row) in ladder.rows.iter().enumerate() {
        for band in ladder.bands.iter().filter(|b| b.first_row == i) {
            let _ = writeln!(out, "{:margin$}== {} ==", "", band.title);
        }
        match row {
            Row::Packet(a) => {
                let state = |lane: LaneSide| {
                    a.states
                        .iter()
                        .find(|b| b.lane == lane)
                        .map(|b| {
                            b.transitions
                                .iter()
                                .map(|t| t.to.rfc_name())
                                .collect::<Vec<_>>()
                                .join(" → ")
                        })
                        .unwrap_or_default()
                };
                let label = a.label();
                let dashes = width.saturating_sub(label.chars().count() + 4);
                let (l, r) = (dashes / 2, dashes - dashes / 2);
                let arrow = match a.from {
                    LaneSide::Left => format!("|{} {label} {}>|", "-".repeat(l), "-".repeat(r)),
                    LaneSide::Right => format!("|<{} {label} {}|", "-".repeat(l), "-".repeat(r)),
                };
                let _ = writeln!(
                    out,
                    "{:>12}  #{:<4} {:>STATE_COL$} {arrow} {}",
                    a.time,
                    a.frame,
                    state(LaneSide::Left),
                    state(LaneSide::Right)
                );
            }
            Row::Collapsed {
                segments,
                bytes,
                first_frame,
                last_frame,
                ..
            } => {
                let text = format!(
                    "… {segments} data segments, {bytes} bytes (frames {first_frame}-{last_frame}) …"
                );
                let _ = writeln!(out, "{:prefix$}|{text:^w$}|", "", w = width + 1);
            }
        }
    }
    out
}
