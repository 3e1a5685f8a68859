//! The ladder as ASCII art for the terminal: two columns, one arrow per packet with its
//! label, state changes beside each lane, and the phase titles.

use crate::ladder::{Ladder, LaneSide, Row};
use std::fmt::Write;

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
    // Packet rows are: time (12), 2 spaces, "#" frame (5), space, state (14), space, then
    // the arrow from the left lane (this column) to the right lane (`width` further).
    let margin = 22;
    let state_col = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) => Some(state_text(a, LaneSide::Left).chars().count()),
            Row::Collapsed { .. } => None,
        })
        .max()
        .unwrap_or(0)
        .max(14);
    let left_col = 12 + 2 + 1 + 4 + 1 + state_col + 1;
    let right_col = left_col + width;
    let [left, right] = &ladder.lanes;
    let initial = |lane: &crate::ladder::Lane| lane.initial_label.clone();
    for (l, r) in [
        (left.endpoint.clone(), right.endpoint.clone()),
        (left.role.clone(), right.role.clone()),
        (initial(left), initial(right)),
    ] {
        let _ = writeln!(out, "{}", over_lanes(&l, &r, left_col, right_col));
    }
    for (i, row) in ladder.rows.iter().enumerate() {
        for band in ladder.bands.iter().filter(|b| b.first_row == i) {
            let _ = writeln!(out, "{:margin$}== {} ==", "", band.title);
        }
        match row {
            Row::Packet(a) => {
                let label = a.label();
                let dashes = width.saturating_sub(label.chars().count() + 4);
                let (l, r) = (dashes / 2, dashes - dashes / 2);
                let arrow = match a.from {
                    LaneSide::Left => format!("|{} {label} {}>|", "-".repeat(l), "-".repeat(r)),
                    LaneSide::Right => format!("|<{} {label} {}|", "-".repeat(l), "-".repeat(r)),
                };
                let right = state_text(a, LaneSide::Right);
                let marks = if a.marks.is_empty() {
                    String::new()
                } else {
                    format!(
                        "{}[{}]",
                        if right.is_empty() { "" } else { " " },
                        a.marks.join("; ")
                    )
                };
                let _ = writeln!(
                    out,
                    "{:>12}  #{:<4} {:>state_col$} {arrow} {right}{marks}",
                    a.time,
                    a.frame,
                    state_text(a, LaneSide::Left),
                );
            }
            Row::Collapsed { .. } => {
                let text = row.collapsed_label().unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:left_col$}|{text:^w$}|",
                    "",
                    w = width.saturating_sub(1)
                );
            }
        }
    }
    out
}

/// A line with `left` centred over column `left_col` and `right` over `right_col`.
fn over_lanes(left: &str, right: &str, left_col: usize, right_col: usize) -> String {
    let lw = left.chars().count();
    let rw = right.chars().count();
    let l_start = left_col.saturating_sub(lw / 2);
    let mut line = format!("{:l_start$}{left}", "");
    let r_start = right_col.saturating_sub(rw / 2).max(l_start + lw + 2);
    let pad = r_start - line.chars().count();
    line.push_str(&format!("{:pad$}{right}", ""));
    line
}

/// The states a packet leads to on one lane: "FIN-WAIT-2 → TIME-WAIT".
fn state_text(a: &crate::ladder::Arrow, lane: LaneSide) -> String {
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
}
