//! The ladder as ASCII art for the terminal: two columns, one arrow per packet with its
//! label, state changes beside each lane, and the phase titles; or one step of step mode
//! ([`render_step`]): the rows revealed, then where each lane stands.

use crate::i18n::notes_in;
use crate::ladder::{Ladder, LaneSide, Row, Step};
use crate::timeline::Sender;
use std::fmt::Write;

pub fn render(ladder: &Ladder) -> String {
    render_with(ladder, None)
}

/// One step of step mode: "Step 2 / 10", the rows revealed, and under them each lane's
/// state now.
pub fn render_step(step: &Step) -> String {
    render_with(&step.ladder, Some(step))
}

fn render_with(ladder: &Ladder, step: Option<&Step>) -> String {
    let mut out = String::new();
    let words = ladder.lang.ui();
    if let Some(step) = step {
        let _ = writeln!(out, "{} {} / {}", words.step, step.rows, step.total);
    }
    out.push_str(&heading(ladder));
    let width = arrow_width(ladder);
    // Packet rows are: time (12), 2 spaces, "#" frame (5), space, state (14), space, then
    // the arrow from the left lane (this column) to the right lane (`width` further).
    // With both ends captured the time is "sent → arrived" and the frame "#client/server".
    let two = ladder.time.ends.is_some();
    let (time_w, frame_w) = if two { (25, 11) } else { (12, 4) };
    let margin = time_w + frame_w + 6;
    let state_col = ladder
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Packet(a) => Some(state_text(a, LaneSide::Left).chars().count()),
            Row::Collapsed { .. } | Row::Unseen(_) => None,
        })
        .max()
        .unwrap_or(0)
        .max(14);
    let left_col = time_w + 2 + 1 + frame_w + 1 + state_col + 1;
    let right_col = left_col + width;
    let [left, right] = &ladder.lanes;
    let initial = |lane: &crate::ladder::Lane| lane.initial_label.clone();
    let mut header = vec![(left.endpoint.clone(), right.endpoint.clone())];
    if left.seen_as.is_some() || right.seen_as.is_some() {
        header.push((
            left.seen_as.clone().unwrap_or_default(),
            right.seen_as.clone().unwrap_or_default(),
        ));
    }
    header.push((left.role.clone(), right.role.clone()));
    header.push((initial(left), initial(right)));
    for (l, r) in header {
        let _ = writeln!(out, "{}", over_lanes(&l, &r, left_col, right_col));
    }
    for (i, row) in ladder.rows.iter().enumerate() {
        for band in ladder.bands.iter().filter(|b| b.first_row == i) {
            let _ = writeln!(out, "{:margin$}== {} ==", "", band.title);
        }
        match row {
            Row::Packet(a) => {
                let arrow = row_arrow(&a.label(), width, a.from, a.timing.lost.is_some());
                let right = state_text(a, LaneSide::Right);
                // Analysis marks, then the packet's notes.
                let said: Vec<String> = a
                    .mark_words()
                    .map(str::to_string)
                    .chain(
                        notes_in(ladder.lang, &a.notes)
                            .into_iter()
                            .map(|n| format!("✎ {n}")),
                    )
                    .collect();
                let marks = if said.is_empty() {
                    String::new()
                } else {
                    format!(
                        "{}[{}]",
                        if right.is_empty() { "" } else { " " },
                        said.join("; ")
                    )
                };
                let (time, frame) = match &a.ends {
                    Some(e) => {
                        let arrived = a
                            .timing
                            .arrives_at
                            .map_or("-".to_string(), |t| format!("{t:.6}"));
                        let frame = |f: Option<u64>| f.map_or("-".to_string(), |f| f.to_string());
                        (
                            format!("{:.6} → {arrived}", a.timing.sent_at),
                            format!(
                                "{}/{}",
                                frame(e.frames[Sender::Client]),
                                frame(e.frames[Sender::Server])
                            ),
                        )
                    }
                    None => (a.time.clone(), a.frame.to_string()),
                };
                let _ = writeln!(
                    out,
                    "{time:>time_w$}  #{frame:<frame_w$} {:>state_col$} {arrow} {right}{marks}",
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
            Row::Unseen(u) => {
                // Stops short of the receiver: it never arrived.
                let arrow = row_arrow(&u.label, width, u.from, true);
                let _ = writeln!(
                    out,
                    "{:>time_w$}  {:<w$} {:>state_col$} {arrow} [{}]",
                    "",
                    "#-",
                    "",
                    ladder.lang.time().lost_mark,
                    w = frame_w + 1
                );
            }
        }
    }
    if let Some(step) = step {
        let [left, right] = step.now.map(|s| s.rfc_name());
        let line = over_lanes(left, right, left_col, right_col);
        let label = format!("{}:", words.now);
        let room = line.chars().take_while(|c| *c == ' ').count();
        let _ = writeln!(
            out,
            "{label:>w$} {}",
            line.chars().skip(room).collect::<String>(),
            w = room.saturating_sub(1)
        );
    }
    out
}

/// One row's arrow between the lifelines, its label in the middle; a packet that never
/// arrived stops short of its receiver at `X`.
fn row_arrow(label: &str, width: usize, from: LaneSide, lost: bool) -> String {
    let dashes = width.saturating_sub(label.chars().count() + 4);
    let (l, r) = (dashes / 2, dashes - dashes / 2);
    match (from, lost) {
        (LaneSide::Left, false) => format!("|{} {label} {}>|", "-".repeat(l), "-".repeat(r)),
        (LaneSide::Right, false) => format!("|<{} {label} {}|", "-".repeat(l), "-".repeat(r)),
        (LaneSide::Left, true) => {
            let short = r.min(6);
            format!(
                "|{} {label} {}X{}|",
                "-".repeat(l),
                "-".repeat(r - short),
                " ".repeat(short)
            )
        }
        (LaneSide::Right, true) => {
            let short = l.min(6);
            format!(
                "|{}X{} {label} {}|",
                " ".repeat(short),
                "-".repeat(l - short),
                "-".repeat(r)
            )
        }
    }
}

/// The title, the states note and the notes, then a blank line.
fn heading(ladder: &Ladder) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", ladder.title);
    let _ = writeln!(out, "{}", ladder.states_note);
    for note in &ladder.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    if let Some(ends) = &ladder.time.ends {
        for line in crate::ladder::two_ends::summary_lines(ends, ladder.lang) {
            let _ = writeln!(out, "{line}");
        }
    }
    out.push('\n');
    out
}

/// Columns between the two lifelines: room for the longest label and its arrow.
fn arrow_width(ladder: &Ladder) -> usize {
    ladder
        .rows
        .iter()
        .map(|r| match r {
            Row::Packet(a) => a.label().chars().count() + 8,
            Row::Unseen(u) => u.label.chars().count() + 8,
            Row::Collapsed { .. } => 40,
        })
        .max()
        .unwrap_or(40)
        .max(40)
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

/// The ladder in the time-to-scale view: one text line per unit of the time map, each
/// arrow drawn from the line where it was sent to the line where it arrived (a staircase
/// of dashes), idle gaps as `~~~ 29.1 s later ~~~` break lines, a lost packet stopping
/// short at `X`.
pub fn render_time(ladder: &Ladder) -> String {
    use crate::ladder::{Spacing, TimeLayout};
    let mut out = heading(ladder);
    let layout = TimeLayout::of(
        ladder,
        Spacing {
            top: 0.0,
            unit: 2.0,
            min_gap: 1.0,
            band_title: 1.0,
            label_room: 0.0,
            break_height: 1.0,
        },
    );
    let line_of = |y: f32| y.round().max(0.0) as usize;
    let lines = line_of(layout.bottom) + 1;
    // With both ends captured the frame column holds "#client/server".
    let (time_w, frame_w) = (12, if ladder.time.ends.is_some() { 11 } else { 4 });
    let width = arrow_width(ladder);
    // The arrow area: column 0 is the left lifeline, `width` the right one.
    let mut grid: Vec<Vec<char>> = vec![vec![' '; width + 1]; lines];
    let mut prefix: Vec<String> = vec![String::new(); lines];
    let mut left_states: Vec<Vec<String>> = vec![Vec::new(); lines];
    let mut right_states: Vec<Vec<String>> = vec![Vec::new(); lines];
    let mut marks: Vec<Vec<String>> = vec![Vec::new(); lines];
    let mut special: Vec<Option<String>> = vec![None; lines];
    let mut labels: Vec<(usize, usize, String)> = Vec::new();
    for (band, title) in ladder.bands.iter().zip(&layout.band_titles) {
        if let Some(slot) = title.and_then(|y| special.get_mut(line_of(y))) {
            *slot = Some(format!("== {} ==", band.title));
        }
    }
    for gap in &layout.breaks {
        let line = line_of((gap.top + gap.bottom) / 2.0);
        if let Some(slot) = special.get_mut(line) {
            let text = (ladder.lang.time().gap_later)(gap.seconds);
            *slot = Some(format!("~~~ {text} ~~~"));
        }
    }
    let put = |grid: &mut Vec<Vec<char>>, line: usize, col: usize, c: char| {
        if let Some(cell) = grid.get_mut(line).and_then(|l| l.get_mut(col)) {
            *cell = c;
        }
    };
    for (row, place) in ladder.rows.iter().zip(&layout.rows) {
        let (ys, ye) = (
            line_of(place.sent),
            line_of(place.arrived).max(line_of(place.sent)),
        );
        let draw = |grid: &mut Vec<Vec<char>>, from: LaneSide, lost: bool| {
            let inner = width.saturating_sub(1).max(1);
            let reach = if lost { (inner * 62) / 100 } else { inner };
            for step in 0..reach {
                let line = ys + ((ye - ys) * step) / inner.max(1);
                let col = match from {
                    LaneSide::Left => 1 + step,
                    LaneSide::Right => width - 1 - step,
                };
                let last = step + 1 == reach;
                let c = match (last, lost, from) {
                    (true, true, _) => 'X',
                    (true, false, LaneSide::Left) => '>',
                    (true, false, LaneSide::Right) => '<',
                    _ => '-',
                };
                put(grid, line, col, c);
            }
        };
        match row {
            Row::Unseen(u) => {
                draw(&mut grid, u.from, true);
                let start = match u.from {
                    LaneSide::Left => 2,
                    LaneSide::Right => width.saturating_sub(2 + u.label.chars().count()),
                };
                labels.push((ys, start, u.label.clone()));
                if let Some(slot) = marks.get_mut(ys) {
                    slot.push(ladder.lang.time().lost_mark.to_string());
                }
            }
            Row::Packet(a) => {
                if let Some(p) = prefix.get_mut(ys) {
                    let frame = match &a.ends {
                        Some(e) => {
                            let f = |f: Option<u64>| f.map_or("-".to_string(), |f| f.to_string());
                            format!(
                                "{}/{}",
                                f(e.frames[Sender::Client]),
                                f(e.frames[Sender::Server])
                            )
                        }
                        None => a.frame.to_string(),
                    };
                    *p = format!("{:>time_w$}  #{frame:<frame_w$}", a.time);
                }
                let lost = a.timing.lost.is_some();
                draw(&mut grid, a.from, lost);
                let label = a.label();
                let start = match a.from {
                    LaneSide::Left => 2,
                    LaneSide::Right => width.saturating_sub(2 + label.chars().count()),
                };
                labels.push((ys, start, label));
                for b in &a.states {
                    let text = b
                        .transitions
                        .iter()
                        .map(|t| t.to.rfc_name())
                        .collect::<Vec<_>>()
                        .join(" → ");
                    let line = if b.lane == a.from { ys } else { ye };
                    let column = match b.lane {
                        LaneSide::Left => &mut left_states,
                        LaneSide::Right => &mut right_states,
                    };
                    if let Some(slot) = column.get_mut(line) {
                        slot.push(text);
                    }
                }
                let mut notes: Vec<String> = a.mark_words().map(str::to_string).collect();
                if lost {
                    notes.push(ladder.lang.time().lost_mark.to_string());
                }
                if let Some(waited) = a.timing.waited {
                    notes.push((ladder.lang.time().waited_short)(waited));
                }
                if !notes.is_empty()
                    && let Some(slot) = marks.get_mut(ys)
                {
                    slot.push(notes.join("; "));
                }
            }
            Row::Collapsed { .. } => {
                let text = row.collapsed_label().unwrap_or_default();
                let start = (width + 1).saturating_sub(text.chars().count()) / 2;
                labels.push((ys, start.max(1), text));
                for line in ys + 1..=ye {
                    put(&mut grid, line, 0, ':');
                    put(&mut grid, line, width, ':');
                }
            }
        }
    }
    for (line, start, label) in labels {
        for (i, c) in label.chars().enumerate() {
            put(&mut grid, line, start + i, c);
        }
    }
    let state_col = left_states
        .iter()
        .map(|s| s.join(", ").chars().count())
        .max()
        .unwrap_or(0)
        .max(14);
    let left_col = time_w + 2 + 1 + frame_w + 1 + state_col + 1;
    let [left, right] = &ladder.lanes;
    for (l, r) in [
        (left.endpoint.clone(), right.endpoint.clone()),
        (left.role.clone(), right.role.clone()),
        (left.initial_label.clone(), right.initial_label.clone()),
    ] {
        let _ = writeln!(out, "{}", over_lanes(&l, &r, left_col, left_col + width));
    }
    for line in 0..lines {
        if let Some(Some(text)) = special.get(line) {
            let _ = writeln!(out, "{:left_col$}{text}", "");
            continue;
        }
        let mut cells: String = grid
            .get(line)
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        if cells.starts_with(' ') {
            cells.replace_range(0..1, "|");
        }
        if cells.ends_with(' ') {
            cells.pop();
            cells.push('|');
        }
        let right = right_states
            .get(line)
            .map(|s| s.join(", "))
            .unwrap_or_default();
        let note = marks.get(line).map(|s| s.join("; ")).unwrap_or_default();
        let note = if note.is_empty() {
            String::new()
        } else {
            format!("{}[{note}]", if right.is_empty() { "" } else { " " })
        };
        let text = format!(
            "{:<w$} {:>state_col$} {cells} {right}{note}",
            prefix.get(line).map(String::as_str).unwrap_or(""),
            left_states
                .get(line)
                .map(|s| s.join(", "))
                .unwrap_or_default(),
            w = time_w + frame_w + 3,
        );
        let _ = writeln!(out, "{}", text.trim_end());
    }
    out
}
