//! The time-to-scale view's vertical map: where each arrow leaves its sender and reaches
//! its receiver when vertical distance is time.
//!
//! `y = f(t)` is one monotone, piecewise-linear map for the whole ladder, built from
//! every send and arrival time in time order:
//! - between two moments, `y` grows in proportion to the time between them (one `unit`
//!   of height per [`TimeLayout::seconds_per_unit`]);
//! - a send never comes closer than `min_gap` below the previous send, so labels never
//!   overlap (the scale stretches locally where packets are dense);
//! - an idle gap longer than [`BREAK_UNITS`] units is compressed to a [`GapBreak`] that
//!   states its length ("29.1 s later").
//!
//! The canvas, the SVG writer and the ASCII writer all use it with their own [`Spacing`];
//! only the numbers differ.

use super::{Ladder, Row};

/// A gap between two moments longer than this many units is drawn as a break.
pub const BREAK_UNITS: f64 = 6.0;

/// Sizes of the view, in the renderer's own units (points, SVG units, text lines).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spacing {
    /// Where the first moment goes.
    pub top: f32,
    /// Height of one time unit.
    pub unit: f32,
    /// The least distance between two sends (a label's height).
    pub min_gap: f32,
    /// Extra room above a band's first row for its title.
    pub band_title: f32,
    /// The room a send's label takes above it (a band title goes above that).
    pub label_room: f32,
    /// The height of a compressed gap.
    pub break_height: f32,
}

/// Where one row sits in the time view.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RowY {
    /// Where the arrow leaves its sender (a collapsed run: its first packet).
    pub sent: f32,
    /// Where it reaches its receiver — or, for a lost packet, where it would have (a
    /// collapsed run: its last packet).
    pub arrived: f32,
}

/// An idle gap compressed to a break mark.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapBreak {
    pub top: f32,
    pub bottom: f32,
    /// How long the gap really was.
    pub seconds: f64,
}

/// The time view's vertical layout of one ladder.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeLayout {
    /// By row.
    pub rows: Vec<RowY>,
    /// By band: the top of its title.
    pub band_titles: Vec<Option<f32>>,
    pub breaks: Vec<GapBreak>,
    /// The lowest point used.
    pub bottom: f32,
    /// Seconds of real time in one unit of height (outside breaks and stretches).
    pub seconds_per_unit: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Moment {
    /// A send that needs room for its label.
    Send,
    /// An arrival (or where a lost packet would have arrived): no label of its own.
    Arrive,
}

impl TimeLayout {
    pub fn of(ladder: &Ladder, spacing: Spacing) -> TimeLayout {
        let mut moments: Vec<(f64, Moment, usize)> = Vec::with_capacity(ladder.rows.len() * 2);
        let mut sends: Vec<f64> = Vec::with_capacity(ladder.rows.len());
        for (i, row) in ladder.rows.iter().enumerate() {
            let (sent, arrived) = row_times(row);
            moments.push((sent, Moment::Send, i));
            sends.push(sent);
            // A collapsed run's end needs room like a send: its box must not shrink away.
            let end = if matches!(row, Row::Collapsed { .. }) {
                Moment::Send
            } else {
                Moment::Arrive
            };
            moments.push((arrived.max(sent), end, i));
        }
        moments.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let seconds_per_unit = seconds_per_unit(ladder, &mut sends);

        // A band's title goes above the first of its rows to be *sent*, which need not be
        // its first row in capture order (the far side's packets left earlier than they
        // were captured).
        let mut titled = vec![false; ladder.bands.len()];
        let mut layout = TimeLayout {
            rows: vec![RowY::default(); ladder.rows.len()],
            band_titles: vec![None; ladder.bands.len()],
            breaks: Vec::new(),
            bottom: spacing.top,
            seconds_per_unit,
        };
        let mut y = spacing.top;
        let mut last_send: Option<f32> = None;
        let mut previous_t: Option<f64> = None;
        let mut placed_send = vec![false; ladder.rows.len()];
        for (t, moment, row) in moments {
            if let Some(before) = previous_t {
                let gap = (t - before).max(0.0);
                if gap > BREAK_UNITS * seconds_per_unit {
                    let top = y;
                    y += spacing.break_height;
                    layout.breaks.push(GapBreak {
                        top,
                        bottom: y,
                        seconds: gap,
                    });
                    // The next label goes below the break mark, not over it.
                    last_send = Some(y);
                } else {
                    y += (gap / seconds_per_unit) as f32 * spacing.unit;
                }
            }
            previous_t = Some(t);
            let is_first_send =
                moment == Moment::Send && placed_send.get(row).is_some_and(|placed| !placed);
            if moment == Moment::Send {
                if let Some(last) = last_send {
                    y = y.max(last + spacing.min_gap);
                }
                if is_first_send {
                    for (band, b) in ladder.bands.iter().enumerate() {
                        let starts_here = b.first_row <= row
                            && row <= b.last_row
                            && titled.get(band).is_some_and(|done| !done);
                        if !starts_here {
                            continue;
                        }
                        y += spacing.band_title;
                        if let Some(title) = layout.band_titles.get_mut(band) {
                            *title = Some(y - spacing.band_title - spacing.label_room);
                        }
                        if let Some(done) = titled.get_mut(band) {
                            *done = true;
                        }
                    }
                }
                last_send = Some(y);
            }
            if let Some(slot) = layout.rows.get_mut(row) {
                if is_first_send {
                    slot.sent = y;
                    slot.arrived = slot.arrived.max(y);
                } else {
                    slot.arrived = y;
                }
            }
            if let Some(placed) = placed_send.get_mut(row) {
                *placed |= moment == Moment::Send;
            }
            layout.bottom = layout.bottom.max(y);
        }
        layout
    }
}

/// When a row's arrow leaves and arrives (a collapsed run: its first and last packet).
fn row_times(row: &Row) -> (f64, f64) {
    match row {
        Row::Packet(a) => (a.timing.sent_at, a.timing.drawn_arrival()),
        Row::Collapsed {
            t_first, t_last, ..
        } => (*t_first, *t_last),
        Row::Unseen(u) => (u.timing.sent_at, u.timing.drawn_arrival()),
    }
}

/// How much time one unit of height stands for: the round trip spans 2.5 units (so a
/// handshake reads as a clear V), or, when packets are further apart than that, the
/// median time between sends.
fn seconds_per_unit(ladder: &Ladder, sends: &mut [f64]) -> f64 {
    sends.sort_by(f64::total_cmp);
    let mut gaps: Vec<f64> = sends
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if b > a => Some(b - a),
            _ => None,
        })
        .collect();
    gaps.sort_by(f64::total_cmp);
    let median = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    let from_rtt = ladder.time.rtt.map_or(0.0, |rtt| rtt / 2.5);
    from_rtt.max(median).max(1e-6)
}
