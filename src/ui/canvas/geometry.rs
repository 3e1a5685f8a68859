//! Where things go on the canvas, apart from painting them. The *ladder* space has `lane`
//! running from 0 (left lifeline) to 1 (right lifeline) and `y` in points from the top of
//! the diagram; [`LadderTransform::screen_from_ladder`] maps it to the screen.
//! [`RowLayout`] stacks the diagram's items (initial states, band titles, rows, gap
//! breaks) once per ladder and finds the ones inside a viewport by binary search; in the
//! row view each row is [`ROW_HEIGHT`] tall, in the time view rows sit where
//! [`TimeLayout`] puts their send and arrival times. `Columns` splits the width into
//! the time margin, the two state columns and the lanes. In step mode the canvas draws
//! the whole ladder's layout up to the revealed row: [`Revealed`] (made once per step)
//! says what of it is shown, and [`Shown`] is what the painting reads.

use crate::ladder::{Arrow, Band, Ladder, LaneSide, Row, Spacing, TimeLayout, ViewMode};
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
    /// Time view, per row: the latest start, the lowest end and the longest reach of the
    /// rows up to it (what step mode shows after that row).
    reached: Vec<(f32, f32, f32)>,
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
            let started = layout.reached.last().map_or(0.0, |r| r.0).max(place.start);
            layout.reached.push((started, bottom, layout.reach));
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
    /// `reach` (the most an item shown reaches below its top) above the viewport, up to
    /// its bottom.
    fn visible_reaching(&self, y: Rangef, reach: f32) -> Range<usize> {
        let first = self.items.partition_point(|&(_, top)| top + reach < y.min);
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

    /// Step mode: what of this view is shown after its first `rows` rows (with
    /// `plain_titles`, bands still going on are named by their phase only). The rows
    /// keep their places, so none moves as more are revealed.
    pub fn revealed(&self, rows: usize, plain_titles: bool) -> Revealed {
        let ladder = &self.ladder;
        let rows = rows.min(ladder.rows.len());
        let layout = &self.rows;
        let bands: Vec<Option<Band>> = ladder
            .bands
            .iter()
            .map(|b| b.after(rows, plain_titles, ladder.lang))
            .collect();
        let newest = rows.checked_sub(1).and_then(|r| layout.place(r));
        let (band_spans, height, shown_until, reach) = match &layout.time {
            None => {
                // Bands going on close after the newest row, and a gap follows them.
                let below = newest.map_or(INITIAL_HEIGHT, |p| p.top + ROW_HEIGHT);
                let mut closing = false;
                let spans = bands
                    .iter()
                    .zip(&layout.band_spans)
                    .map(|(band, span)| {
                        let (band, (top, bottom)) = (band.as_ref()?, (*span)?);
                        if band.last_row + 1 == rows {
                            closing = true;
                            Some((top, bottom.min(below + 4.0)))
                        } else {
                            Some((top, bottom))
                        }
                    })
                    .collect();
                let gap = if closing { BAND_GAP } else { 0.0 };
                (spans, below + gap + 24.0, f32::INFINITY, layout.reach)
            }
            Some(_) => {
                let (start_max, end_max, reach) = rows
                    .checked_sub(1)
                    .and_then(|r| layout.reached.get(r))
                    .copied()
                    .unwrap_or((0.0, INITIAL_HEIGHT, 0.0));
                let spans = bands
                    .iter()
                    .zip(&layout.band_spans)
                    .map(|(band, span)| {
                        let (band, (title, _)) = (band.as_ref()?, (*span)?);
                        let end = layout
                            .places
                            .get(band.first_row..=band.last_row)
                            .unwrap_or(&[])
                            .iter()
                            .map(|p| p.end + 14.0)
                            .fold(title + BAND_TITLE_HEIGHT, f32::max);
                        Some((title, end))
                    })
                    .collect();
                let reach = reach.max(ROW_HEIGHT).max(BREAK_HEIGHT);
                (spans, end_max.max(INITIAL_HEIGHT) + 40.0, start_max, reach)
            }
        };
        Revealed {
            rows,
            bands,
            band_spans,
            height,
            shown_until,
            reach,
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
    /// The columns for `rows` (the rows shown) across `full`.
    pub(super) fn measure(ui: &Ui, rows: &[Row], full: Rangef) -> Columns {
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
        let arrows = || rows.iter().filter_map(as_arrow);
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

/// Step mode: what of a [`LadderView`] is shown (made by [`LadderView::revealed`] once
/// per step; the canvas reads it through [`Shown`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Revealed {
    /// How many rows are shown.
    pub rows: usize,
    /// Per band of the whole ladder: as shown (cut at the newest row), `None` before it
    /// begins.
    pub bands: Vec<Option<Band>>,
    /// Per band: its span as shown.
    band_spans: Vec<Option<(f32, f32)>>,
    /// The height of the diagram as shown.
    height: f32,
    /// Time view: gap breaks from here down are not shown yet.
    shown_until: f32,
    /// The most a shown item reaches below its top.
    reach: f32,
}

impl Revealed {
    /// The bands that have begun, as shown.
    pub fn bands(&self) -> impl Iterator<Item = &Band> {
        self.bands.iter().flatten()
    }
}

/// What the canvas draws of a view: all of it, or in step mode the part revealed.
#[derive(Clone, Copy, Debug)]
pub struct Shown<'a> {
    pub view: &'a LadderView,
    pub revealed: Option<&'a Revealed>,
}

impl<'a> Shown<'a> {
    pub fn ladder(&self) -> &'a Ladder {
        &self.view.ladder
    }

    /// The rows shown.
    pub fn rows(&self) -> &'a [Row] {
        let rows = &self.view.ladder.rows;
        match self.revealed {
            Some(r) => rows.get(..r.rows).unwrap_or(rows),
            None => rows,
        }
    }

    /// Band `i` of the whole ladder as shown (`None` before it begins).
    pub fn band(&self, i: usize) -> Option<&'a Band> {
        match self.revealed {
            Some(r) => r.bands.get(i).and_then(Option::as_ref),
            None => self.view.ladder.bands.get(i),
        }
    }

    /// The bands shown (those that have begun, cut at the newest row).
    pub fn bands(&self) -> impl Iterator<Item = &'a Band> + 'a {
        let shown = *self;
        (0..self.view.ladder.bands.len()).filter_map(move |i| shown.band(i))
    }

    /// The bands shown with their spans (by index into the whole ladder's bands).
    pub fn band_spans(&self) -> impl Iterator<Item = (&'a Band, (f32, f32))> + 'a {
        let (view, revealed) = (self.view, self.revealed);
        (0..view.ladder.bands.len()).filter_map(move |i| {
            let (band, span) = match revealed {
                Some(r) => (r.bands.get(i)?.as_ref()?, r.band_spans.get(i)?),
                None => (view.ladder.bands.get(i)?, view.rows.band_spans.get(i)?),
            };
            Some((band, (*span)?))
        })
    }

    /// Where row `row`'s arrow runs, if it is shown.
    pub fn place(&self, row: usize) -> Option<RowPlace> {
        (row < self.rows().len())
            .then(|| self.view.rows.place(row))
            .flatten()
    }

    /// The row of a packet, if it is shown.
    pub fn row_of_packet(&self, packet: u32) -> Option<usize> {
        self.view
            .ladder
            .row_of_packet(packet)
            .filter(|&row| row < self.rows().len())
    }

    /// The height of the diagram as shown.
    pub fn height(&self) -> f32 {
        self.revealed.map_or(self.view.rows.height(), |r| r.height)
    }

    /// The items of the layout that may overlap `y` (ladder space), shown or not.
    pub(super) fn visible(&self, y: Rangef) -> Range<usize> {
        let reach = self.revealed.map_or(self.view.rows.reach, |r| r.reach);
        self.view.rows.visible_reaching(y, reach)
    }

    /// Whether an item of the layout is shown.
    pub(super) fn shows(&self, item: Item, top: f32) -> bool {
        let Some(revealed) = self.revealed else {
            return true;
        };
        match item {
            Item::Initial => true,
            Item::Row(row) => row < revealed.rows,
            Item::BandTitle(band) => revealed.band_spans.get(band).is_some_and(Option::is_some),
            Item::Break(_) => top < revealed.shown_until,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{LadderOptions, layout};

    fn ladder_of(name: &str, collapse_over: Option<usize>) -> Ladder {
        let session = crate::session::load_sample(name);
        let options = LadderOptions {
            collapse_over,
            ..LadderOptions::default()
        };
        layout(&session, 0, &options)
    }

    /// Step mode draws the whole layout up to the revealed row: what it shows must be
    /// what a layout of the ladder cut after that row shows (as step mode drew before).
    #[test]
    fn the_revealed_part_is_laid_out_as_a_cut_ladder() {
        for (name, collapse) in [
            ("seed-handshake-client.pcapng", Some(12)),
            ("lost-segment-fast-retransmit.pcapng", Some(12)),
            ("seed-github.pcapng", Some(3)),
            ("simultaneous-close.pcapng", None),
        ] {
            let full = ladder_of(name, collapse);
            for mode in [ViewMode::Rows, ViewMode::Time] {
                let view = LadderView::in_mode(full.clone(), mode);
                for rows in 0..=full.rows.len() {
                    for plain in [false, true] {
                        let cut = full.revealed(rows, plain);
                        let expected = match &view.rows.time {
                            Some(time) => RowLayout::timed(&cut, time.clone()),
                            None => RowLayout::of(&cut),
                        };
                        let revealed = view.revealed(rows, plain);
                        let shown = Shown {
                            view: &view,
                            revealed: Some(&revealed),
                        };
                        let at = format!("{name} {mode:?} after {rows} rows");
                        assert_eq!(shown.height(), expected.height(), "{at}");
                        assert_eq!(shown.rows().len(), cut.rows.len(), "{at}");
                        let bands: Vec<&Band> = shown.bands().collect();
                        assert_eq!(bands, cut.bands.iter().collect::<Vec<_>>(), "{at}");
                        let spans: Vec<(f32, f32)> = shown.band_spans().map(|(_, s)| s).collect();
                        let cut_spans: Vec<(f32, f32)> =
                            expected.band_spans.iter().flatten().copied().collect();
                        assert_eq!(spans, cut_spans, "{at}");
                        for row in 0..cut.rows.len() {
                            assert_eq!(shown.place(row), expected.place(row), "{at}");
                        }
                        assert_eq!(shown.place(cut.rows.len()), None, "{at}");
                        // The same items, in the same places (band titles by their band's
                        // first row: the cut ladder numbers only the bands begun).
                        let key = |item: Item, bands: &[Band]| match item {
                            Item::BandTitle(b) => Item::BandTitle(
                                bands.get(b).map_or(usize::MAX, |band| band.first_row),
                            ),
                            other => other,
                        };
                        let mut items: Vec<(Item, f32)> = view
                            .rows
                            .items
                            .iter()
                            .filter(|&&(item, top)| shown.shows(item, top))
                            .map(|&(item, top)| (key(item, &full.bands), top))
                            .collect();
                        let mut cut_items: Vec<(Item, f32)> = expected
                            .items
                            .iter()
                            .map(|&(item, top)| (key(item, &cut.bands), top))
                            .collect();
                        let order = |a: &(Item, f32), b: &(Item, f32)| {
                            a.1.total_cmp(&b.1)
                                .then(format!("{a:?}").cmp(&format!("{b:?}")))
                        };
                        items.sort_by(order);
                        cut_items.sort_by(order);
                        assert_eq!(items, cut_items, "{at}");
                        let reach = revealed.reach;
                        assert_eq!(reach, expected.reach, "{at}");
                    }
                }
            }
        }
    }
}
