//! Where things go on the canvas, apart from painting them. The *ladder* space has `lane`
//! running from 0 (left lifeline) to 1 (right lifeline) and `y` in points from the top of
//! the diagram; [`LadderTransform::screen_from_ladder`] maps it to the screen.
//! [`RowLayout`] stacks the diagram's items (initial states, band titles, rows, gap
//! breaks) once per ladder and finds the ones inside a viewport by binary search; in the
//! row view each row is [`ROW_HEIGHT`] tall, in the time view rows sit where
//! [`TimeLayout`] puts their send and arrival times. [`Columns`] splits the width into
//! the time margin, the two state columns and the lanes.

use crate::ladder::{Arrow, Ladder, LaneSide, Row, Spacing, TimeLayout, ViewMode};
use crate::ui::style;
use egui::{Color32, FontId, Pos2, Rangef, Ui, pos2};
use std::collections::BTreeMap;
use std::ops::Range;

/// Height of one packet row: two lines of label, then the arrow.
pub const ROW_HEIGHT: f32 = 76.0;
pub(super) const INITIAL_HEIGHT: f32 = 64.0;
pub(super) const BAND_TITLE_HEIGHT: f32 = 30.0;
pub(super) const BAND_GAP: f32 = 12.0;
/// From the top of a row to the arrow's start.
pub(super) const ARROW_TOP: f32 = 44.0;
/// How far an arrow descends while it crosses (time passes on the way).
pub(super) const ARROW_DROP: f32 = 10.0;
/// State boxes hang this far below the point where the arrow meets their lifeline, so
/// the label above the arrow may run over the state columns.
pub(super) const STATE_BOX_DROP: f32 = 7.0;
pub(super) const LABEL_SIZE: f32 = 15.0;
pub(super) const STATE_SIZE: f32 = 13.0;
pub(super) const STATE_BOX_HEIGHT: f32 = 24.0;
pub(super) const HEADER_HEIGHT: f32 = 46.0;
/// Time view: the least distance between two sends (a two-line label and its arrow).
pub(super) const TIME_MIN_GAP: f32 = 54.0;
/// Time view: the height of a compressed idle gap.
pub(super) const BREAK_HEIGHT: f32 = 40.0;

/// The time view's spacing on the canvas, in points.
pub fn canvas_spacing() -> Spacing {
    Spacing {
        top: INITIAL_HEIGHT + ARROW_TOP,
        unit: ROW_HEIGHT,
        min_gap: TIME_MIN_GAP,
        band_title: BAND_TITLE_HEIGHT,
        label_room: ARROW_TOP,
        break_height: BREAK_HEIGHT,
    }
}

/// Maps ladder coordinates to the screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LadderTransform {
    /// Screen x of the left and right lifelines.
    pub left_x: f32,
    pub right_x: f32,
    /// Screen y of the top of the diagram (moves as the diagram scrolls).
    pub top: f32,
}

impl LadderTransform {
    /// `lane`: 0 on the left lifeline, 1 on the right one; `y`: points from the top.
    pub fn screen_from_ladder(&self, lane: f32, y: f32) -> Pos2 {
        pos2(
            self.left_x + lane * (self.right_x - self.left_x),
            self.top + y,
        )
    }

    /// The screen x of a lifeline.
    pub fn lifeline_x(&self, side: LaneSide) -> f32 {
        self.screen_from_ladder(lane_fraction(side), 0.0).x
    }
}

/// Where a lane's lifeline sits in ladder space.
pub fn lane_fraction(side: LaneSide) -> f32 {
    match side {
        LaneSide::Left => 0.0,
        LaneSide::Right => 1.0,
    }
}

pub(super) fn other(side: LaneSide) -> LaneSide {
    match side {
        LaneSide::Left => LaneSide::Right,
        LaneSide::Right => LaneSide::Left,
    }
}

/// One vertical item of the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Item {
    /// The initial states at the top of the lifelines.
    Initial,
    BandTitle(usize),
    Row(usize),
    /// A compressed idle gap (time view), by index into [`TimeLayout::breaks`].
    Break(usize),
}

/// Where one row's arrow runs, in ladder y.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowPlace {
    /// The top of the row (its label sits between here and `start`).
    pub top: f32,
    /// Where the arrow leaves its sender.
    pub start: f32,
    /// Where it reaches its receiver (or would have, for a lost packet).
    pub end: f32,
}

/// Where each item of a ladder starts vertically (in points from the top).
#[derive(Clone, Debug, Default)]
pub struct RowLayout {
    pub(super) items: Vec<(Item, f32)>,
    places: Vec<RowPlace>,
    /// The time view's map (None in the row view).
    pub(super) time: Option<std::sync::Arc<TimeLayout>>,
    /// The most any item reaches below its top (long arrows in the time view).
    reach: f32,
    /// Per row: the band it lies in (its tint backs the label).
    pub(super) row_bands: Vec<Option<usize>>,
    /// Per band: top of its title, bottom of its last row.
    pub(super) band_spans: Vec<Option<(f32, f32)>>,
    height: f32,
}

impl RowLayout {
    /// The layout of `ladder` in `mode`.
    pub fn new(ladder: &Ladder, mode: ViewMode) -> RowLayout {
        match mode {
            ViewMode::Rows => RowLayout::of(ladder),
            ViewMode::Time => {
                RowLayout::timed(ladder, TimeLayout::of(ladder, canvas_spacing()).into())
            }
        }
    }

    /// The time view of `ladder` (or of its first rows, in step mode) from a time layout
    /// made for the whole ladder, so that revealing rows never moves the ones shown.
    pub fn timed(ladder: &Ladder, time: std::sync::Arc<TimeLayout>) -> RowLayout {
        let mut layout = RowLayout {
            band_spans: vec![None; ladder.bands.len()],
            ..RowLayout::default()
        };
        layout.items.push((Item::Initial, 0.0));
        let mut bottom = INITIAL_HEIGHT;
        for (row, place) in time.rows.iter().enumerate().take(ladder.rows.len()) {
            let place = RowPlace {
                top: place.sent - ARROW_TOP,
                start: place.sent,
                end: place.arrived.max(place.sent),
            };
            layout.items.push((Item::Row(row), place.top));
            layout.places.push(place);
            layout.reach = layout.reach.max(place.end - place.top + 16.0);
            bottom = bottom.max(place.end);
            let band = ladder
                .bands
                .iter()
                .rposition(|b| b.first_row <= row && row <= b.last_row);
            layout.row_bands.push(band);
        }
        for (band, b) in ladder.bands.iter().enumerate() {
            let Some(title) = time.band_titles.get(band).copied().flatten() else {
                continue;
            };
            if b.first_row >= ladder.rows.len() {
                continue;
            }
            layout.items.push((Item::BandTitle(band), title));
            let last = b.last_row.min(ladder.rows.len().saturating_sub(1));
            let end = layout
                .places
                .get(b.first_row..=last)
                .unwrap_or(&[])
                .iter()
                .map(|p| p.end + 14.0)
                .fold(title + BAND_TITLE_HEIGHT, f32::max);
            if let Some(span) = layout.band_spans.get_mut(band) {
                *span = Some((title, end));
            }
        }
        let shown_until = layout.places.iter().map(|p| p.start).fold(0.0, f32::max);
        for (i, gap) in time.breaks.iter().enumerate() {
            if gap.top < shown_until {
                layout.items.push((Item::Break(i), gap.top));
            }
        }
        layout.items.sort_by(|a, b| a.1.total_cmp(&b.1));
        layout.reach = layout.reach.max(ROW_HEIGHT).max(BREAK_HEIGHT);
        layout.height = bottom + 40.0;
        layout.time = Some(time);
        layout
    }

    /// The row view: one [`ROW_HEIGHT`] row per packet, band titles between.
    pub fn of(ladder: &Ladder) -> RowLayout {
        let mut starts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, band) in ladder.bands.iter().enumerate() {
            if band.first_row <= band.last_row && band.last_row < ladder.rows.len() {
                starts.entry(band.first_row).or_default().push(i);
            }
        }
        let mut layout = RowLayout {
            band_spans: vec![None; ladder.bands.len()],
            ..RowLayout::default()
        };
        let mut y = 0.0;
        layout.items.push((Item::Initial, y));
        y += INITIAL_HEIGHT;
        let mut open: Vec<usize> = Vec::new();
        for row in 0..ladder.rows.len() {
            for &band in starts.get(&row).map(Vec::as_slice).unwrap_or(&[]) {
                layout.items.push((Item::BandTitle(band), y));
                if let Some(span) = layout.band_spans.get_mut(band) {
                    *span = Some((y, y));
                }
                open.push(band);
                y += BAND_TITLE_HEIGHT;
            }
            layout.items.push((Item::Row(row), y));
            layout.places.push(RowPlace {
                top: y,
                start: y + ARROW_TOP,
                end: y + ARROW_TOP + ARROW_DROP,
            });
            layout.row_bands.push(open.last().copied());
            y += ROW_HEIGHT;
            let mut closed_any = false;
            open.retain(|&band| {
                let ends_here = ladder.bands.get(band).is_some_and(|b| b.last_row == row);
                if ends_here {
                    if let Some(Some(span)) = layout.band_spans.get_mut(band) {
                        span.1 = y + 4.0;
                    }
                    closed_any = true;
                }
                !ends_here
            });
            if closed_any {
                y += BAND_GAP;
            }
        }
        layout.height = y + 24.0;
        layout.reach = ROW_HEIGHT;
        layout
    }

    /// Whether this is the time view.
    pub fn is_time(&self) -> bool {
        self.time.is_some()
    }

    /// Where row `row`'s arrow runs.
    pub fn place(&self, row: usize) -> Option<RowPlace> {
        self.places.get(row).copied()
    }

    /// Total height of the diagram.
    pub fn height(&self) -> f32 {
        self.height
    }

    /// The top of a row, in ladder y.
    pub fn row_top(&self, row: usize) -> Option<f32> {
        self.places.get(row).map(|p| p.top)
    }

    /// The items that may overlap `y` (ladder space): every item whose top lies within
    /// the longest reach above the viewport, up to its bottom.
    pub(super) fn visible(&self, y: Rangef) -> Range<usize> {
        let first = self
            .items
            .partition_point(|&(_, top)| top + self.reach < y.min);
        let end = self.items.partition_point(|&(_, top)| top <= y.max);
        first..end.max(first)
    }
}

/// A ladder with its vertical layout, as the canvas draws it.
#[derive(Clone, Debug)]
pub struct LadderView {
    pub ladder: Ladder,
    pub rows: RowLayout,
    /// The analysis flags its arrows are marked with, in Wireshark's order (the legend).
    pub mark_flags: Vec<crate::flow::Flag>,
    /// The language the ladder was laid out in (set by the app).
    pub lang: crate::i18n::Lang,
    /// Whether it shows raw sequence numbers (set by the app): the explanations follow.
    pub absolute: bool,
}

impl LadderView {
    /// The row view of `ladder`.
    pub fn new(ladder: Ladder) -> LadderView {
        LadderView::in_mode(ladder, ViewMode::Rows)
    }

    pub fn in_mode(ladder: Ladder, mode: ViewMode) -> LadderView {
        let rows = RowLayout::new(&ladder, mode);
        LadderView {
            mark_flags: ladder.mark_flags(),
            ladder,
            rows,
            lang: Default::default(),
            absolute: false,
        }
    }

    /// `ladder` (the first rows of this view's ladder, in step mode) laid out as this
    /// view is: in the time view with the whole ladder's time map, so rows never move as
    /// more are revealed.
    pub fn part(&self, ladder: Ladder) -> LadderView {
        let rows = match &self.rows.time {
            Some(time) => RowLayout::timed(&ladder, time.clone()),
            None => RowLayout::of(&ladder),
        };
        LadderView {
            ladder,
            rows,
            mark_flags: self.mark_flags.clone(),
            lang: self.lang,
            absolute: self.absolute,
        }
    }

    pub fn mode(&self) -> ViewMode {
        if self.rows.is_time() {
            ViewMode::Time
        } else {
            ViewMode::Rows
        }
    }
}

/// The horizontal columns: time margin, left states, the lanes, right states.
#[derive(Clone, Copy, Debug)]
pub(super) struct Columns {
    pub(super) full: Rangef,
    pub(super) margin: Rangef,
    pub(super) state_width: f32,
    pub(super) left_x: f32,
    pub(super) right_x: f32,
}

impl Columns {
    pub(super) fn measure(ui: &Ui, ladder: &Ladder, full: Rangef) -> Columns {
        let painter = ui.painter();
        let widest = |texts: &mut dyn Iterator<Item = &str>, font: FontId| {
            texts
                .map(|t| {
                    painter
                        .layout_no_wrap(t.to_string(), font.clone(), Color32::WHITE)
                        .size()
                        .x
                })
                .fold(0.0_f32, f32::max)
        };
        let arrows = || ladder.rows.iter().filter_map(as_arrow);
        let times = [arrows().next(), arrows().next_back()];
        let time_width = widest(
            &mut times.iter().flatten().map(|a| a.time.as_str()),
            time_font(),
        );
        // At least as wide as the "frame / time" header (a ladder with no rows yet, in
        // step mode, has no times to measure).
        let margin_width = (time_width + 14.0).max(84.0);
        let state_width = widest(&mut ["SYN-RECEIVED"].into_iter(), style::bold(STATE_SIZE)) + 18.0;
        let margin = Rangef::new(full.min, full.min + margin_width);
        let left_x = margin.max + state_width + 10.0;
        let right_x = (full.max - state_width - 14.0).max(left_x + 80.0);
        Columns {
            full,
            margin,
            state_width,
            left_x,
            right_x,
        }
    }

    pub(super) fn transform(&self, top: f32) -> LadderTransform {
        LadderTransform {
            left_x: self.left_x,
            right_x: self.right_x,
            top,
        }
    }
}

pub(super) fn time_font() -> FontId {
    FontId::monospace(13.5)
}

pub(super) fn as_arrow(row: &Row) -> Option<&Arrow> {
    match row {
        Row::Packet(a) => Some(a),
        Row::Collapsed { .. } | Row::Unseen(_) => None,
    }
}
