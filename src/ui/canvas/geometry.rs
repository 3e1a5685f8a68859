//! Where things go on the canvas, apart from painting them. The *ladder* space has `lane`
//! running from 0 (left lifeline) to 1 (right lifeline) and `y` in points from the top of
//! the diagram; [`LadderTransform::screen_from_ladder`] maps it to the screen.
//! [`RowLayout`] stacks the diagram's items (initial states, band titles, rows) once per
//! ladder and finds the ones inside a viewport by binary search; [`Columns`] splits the
//! width into the time margin, the two state columns and the lanes.

use crate::ladder::{Arrow, Ladder, LaneSide, Row};
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
}

/// Where each item of a ladder starts vertically (in points from the top).
#[derive(Clone, Debug, Default)]
pub struct RowLayout {
    pub(super) items: Vec<(Item, f32)>,
    row_tops: Vec<f32>,
    /// Per row: the band it lies in (its tint backs the label).
    pub(super) row_bands: Vec<Option<usize>>,
    /// Per band: top of its title, bottom of its last row.
    pub(super) band_spans: Vec<Option<(f32, f32)>>,
    height: f32,
}

impl RowLayout {
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
            layout.row_tops.push(y);
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
        layout
    }

    /// Total height of the diagram.
    pub fn height(&self) -> f32 {
        self.height
    }

    /// The top of a row, in ladder y.
    pub fn row_top(&self, row: usize) -> Option<f32> {
        self.row_tops.get(row).copied()
    }

    /// The items overlapping `y` (ladder space).
    pub(super) fn visible(&self, y: Rangef) -> Range<usize> {
        let first = self
            .items
            .partition_point(|&(item, top)| top + self.item_height(item) < y.min);
        let end = self.items.partition_point(|&(_, top)| top <= y.max);
        first..end.max(first)
    }

    fn item_height(&self, item: Item) -> f32 {
        match item {
            Item::Initial => INITIAL_HEIGHT,
            Item::BandTitle(_) => BAND_TITLE_HEIGHT,
            Item::Row(_) => ROW_HEIGHT,
        }
    }
}

/// A ladder with its vertical layout, as the canvas draws it.
#[derive(Clone, Debug)]
pub struct LadderView {
    pub ladder: Ladder,
    pub rows: RowLayout,
    /// The analysis marks of the flagged arrows (set by the app; empty by default).
    pub marks: crate::ui::analysis::MarkIndex,
    /// The language the ladder was laid out in (set by the app).
    pub lang: crate::i18n::Lang,
    /// Whether it shows raw sequence numbers (set by the app): the explanations follow.
    pub absolute: bool,
}

impl LadderView {
    pub fn new(ladder: Ladder) -> LadderView {
        let rows = RowLayout::of(&ladder);
        LadderView {
            ladder,
            rows,
            marks: Default::default(),
            lang: Default::default(),
            absolute: false,
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
        Row::Collapsed { .. } => None,
    }
}
