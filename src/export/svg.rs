//! The ladder as an SVG document, drawn from the same [`Ladder`] model as the app's
//! canvas (not a screenshot): lanes with their endpoints, roles and state boxes, shaded
//! phase bands with titles, one arrow per packet with its label, analysis marks, and the
//! time and frame number in the left margin. [`render_step`] draws one step of step
//! mode: the rows revealed, "Step 2 / 10", and each lane's state then under its last
//! row. [`png`] rasterises it with resvg.

use crate::i18n::notes_in;
use crate::ladder::{Ladder, LaneSide, Phase, Row, Spacing, Step, TimeLayout, ViewMode};
use std::fmt::Write;

/// Geometry of the drawing, in SVG user units (pixels at scale 1).
const MARGIN_TIME: f64 = 150.0;
const STATE_COL: f64 = 190.0;
const LANE_GAP: f64 = 720.0;
const RIGHT_MARGIN: f64 = 360.0;
const HEADER: f64 = 150.0;
const ROW: f64 = 46.0;
/// Space above a band for its title.
const BAND_TITLE: f64 = 24.0;
const FONT: &str = "DejaVu Sans, Noto Sans CJK SC, Noto Sans, sans-serif";

const LEFT_TO_RIGHT: &str = "#1f5fbf";
const RIGHT_TO_LEFT: &str = "#b3470f";
const MARK: &str = "#c0142b";

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Where things go vertically, in either view.
struct Vertical {
    /// Per row: the label's baseline, where the arrow leaves, where it arrives.
    rows: Vec<(f64, f64, f64)>,
    /// Per band: top and bottom of its shaded rectangle.
    bands: Vec<(f64, f64)>,
    /// Compressed idle gaps: their middle and length in seconds.
    breaks: Vec<(f64, f64)>,
    height: f64,
}

impl Vertical {
    fn of(ladder: &Ladder, mode: ViewMode) -> Vertical {
        match mode {
            ViewMode::Rows => Vertical::rows(ladder),
            ViewMode::Time => Vertical::time(ladder),
        }
    }

    fn rows(ladder: &Ladder) -> Vertical {
        let rows = (0..ladder.rows.len())
            .map(|i| {
                let y = row_top(ladder, i) + ROW * 0.5;
                (y + 1.0, y + 8.0, y + 8.0)
            })
            .collect();
        let bands = ladder
            .bands
            .iter()
            .map(|b| {
                let top = row_top(ladder, b.first_row) - BAND_TITLE - 2.0;
                let height = row_top(ladder, b.last_row + 1)
                    - top
                    - BAND_TITLE
                        * f64::from(u8::from(
                            ladder.bands.iter().any(|n| n.first_row == b.last_row + 1),
                        ))
                    + 2.0;
                (top, top + height)
            })
            .collect();
        Vertical {
            rows,
            bands,
            breaks: Vec::new(),
            height: row_top(ladder, ladder.rows.len()) + ROW + 30.0,
        }
    }

    fn time(ladder: &Ladder) -> Vertical {
        let layout = TimeLayout::of(
            ladder,
            Spacing {
                top: (HEADER + 20.0) as f32,
                unit: ROW as f32,
                min_gap: 40.0,
                band_title: BAND_TITLE as f32,
                label_room: 16.0,
                break_height: 36.0,
            },
        );
        let rows: Vec<(f64, f64, f64)> = layout
            .rows
            .iter()
            .map(|r| {
                let (sent, arrived) = (f64::from(r.sent), f64::from(r.arrived.max(r.sent)));
                (sent - 7.0, sent, arrived)
            })
            .collect();
        let bands = ladder
            .bands
            .iter()
            .zip(&layout.band_titles)
            .map(|(b, title)| {
                let top = title.map_or(0.0, f64::from) - 2.0;
                let bottom = rows
                    .get(b.first_row..=b.last_row)
                    .unwrap_or(&[])
                    .iter()
                    .map(|r| r.2 + 14.0)
                    .fold(top + BAND_TITLE, f64::max);
                (top, bottom)
            })
            .collect();
        Vertical {
            rows,
            bands,
            breaks: layout
                .breaks
                .iter()
                .map(|g| (f64::from(g.top + g.bottom) / 2.0, g.seconds))
                .collect(),
            height: f64::from(layout.bottom) + 50.0,
        }
    }
}

/// The drawing's size in user units (row view).
pub fn size(ladder: &Ladder) -> (f64, f64) {
    size_in(ladder, ViewMode::Rows)
}

/// The drawing's size in user units.
pub fn size_in(ladder: &Ladder, mode: ViewMode) -> (f64, f64) {
    let width = MARGIN_TIME + 2.0 * STATE_COL + LANE_GAP + RIGHT_MARGIN;
    (width, Vertical::of(ladder, mode).height)
}

/// The drawing's size in user units for one step of step mode.
pub fn step_size_in(step: &Step, mode: ViewMode) -> (f64, f64) {
    let (width, height) = size_in(&step.ladder, mode);
    (width, height + NOW_ROOM)
}

/// The top of row `row`: rows are ROW apart, with room for each band title above.
fn row_top(ladder: &Ladder, row: usize) -> f64 {
    let titles = ladder.bands.iter().filter(|b| b.first_row <= row).count() as f64;
    HEADER + ROW * row as f64 + BAND_TITLE * titles
}

fn lane_x(side: LaneSide) -> f64 {
    match side {
        LaneSide::Left => MARGIN_TIME + STATE_COL,
        LaneSide::Right => MARGIN_TIME + STATE_COL + LANE_GAP,
    }
}

/// Where an arrow from `from` starts and ends, and its colour.
fn travel(from: LaneSide) -> (f64, f64, &'static str) {
    match from {
        LaneSide::Left => (
            lane_x(LaneSide::Left),
            lane_x(LaneSide::Right),
            LEFT_TO_RIGHT,
        ),
        LaneSide::Right => (
            lane_x(LaneSide::Right),
            lane_x(LaneSide::Left),
            RIGHT_TO_LEFT,
        ),
    }
}

fn band_fill(phase: Phase) -> &'static str {
    match phase {
        Phase::Open => "#e3eefc",
        Phase::Data => "#f0f0f0",
        Phase::Close => "#fdebdc",
    }
}

fn state_box(out: &mut String, x: f64, y: f64, text: &str, anchor_right: bool) {
    let w = 12.0 + 9.0 * text.chars().count() as f64;
    let bx = if anchor_right { x - w - 8.0 } else { x + 8.0 };
    let _ = writeln!(
        out,
        r##"<rect x="{bx:.1}" y="{:.1}" width="{w:.1}" height="24" rx="5" fill="#fff7c2" stroke="#8a7400"/><text x="{:.1}" y="{:.1}" font-size="14" font-weight="bold" fill="#3d3300" text-anchor="middle">{}</text>"##,
        y - 12.0,
        bx + w / 2.0,
        y + 5.0,
        escape(text)
    );
}

fn band(out: &mut String, phase: Phase, title: &str, (top, bottom): (f64, f64), width: f64) {
    let height = bottom - top;
    let _ = writeln!(
        out,
        r##"<rect x="8" y="{top:.1}" width="{:.1}" height="{height:.1}" rx="8" fill="{}" stroke="#b9c2cc"/><text x="16" y="{:.1}" font-size="13" font-weight="bold" fill="#34404c">{}</text>"##,
        width - 16.0,
        band_fill(phase),
        top + 15.0,
        escape(title)
    );
}

/// The SVG document for `ladder` (row view).
pub fn render(ladder: &Ladder) -> String {
    render_view(ladder, ViewMode::Rows)
}

/// The room under the last row for a step's "now" states.
const NOW_ROOM: f64 = 44.0;

/// The SVG document for `ladder` in `mode`: one row per packet, or time to scale.
pub fn render_view(ladder: &Ladder, mode: ViewMode) -> String {
    render_with(ladder, mode, None)
}

/// One step of step mode in `mode`: the rows revealed, "Step 2 / 10" at the top right,
/// and each lane's state now in a box under its last row.
pub fn render_step(step: &Step, mode: ViewMode) -> String {
    render_with(&step.ladder, mode, Some(step))
}

fn render_with(ladder: &Ladder, mode: ViewMode, step: Option<&Step>) -> String {
    let (width, _) = size_in(ladder, mode);
    let vertical = Vertical::of(ladder, mode);
    let height = vertical.height + if step.is_some() { NOW_ROOM } else { 0.0 };
    let mut out = String::with_capacity(4096 + ladder.rows.len() * 600);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT}">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&ladder.title));
    let _ = writeln!(
        out,
        r##"<text x="16" y="28" font-size="20" font-weight="bold" fill="#111">{}</text>"##,
        escape(&ladder.title)
    );
    let _ = writeln!(
        out,
        r##"<text x="16" y="50" font-size="13" fill="#555">{}</text>"##,
        escape(&ladder.states_note)
    );
    for (i, note) in ladder.notes.iter().enumerate() {
        let _ = writeln!(
            out,
            r##"<text x="16" y="{}" font-size="13" fill="#8a4b00">{}</text>"##,
            68 + 16 * i,
            escape(note)
        );
    }
    if let Some(step) = step {
        let words = ladder.lang.ui();
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="28" font-size="18" font-weight="bold" text-anchor="end" fill="#111">{} {} / {}</text>"##,
            width - 16.0,
            escape(words.step),
            step.rows,
            step.total
        );
        // Where each lane stands now, under the last row.
        let y = height - NOW_ROOM + 4.0;
        let _ = writeln!(
            out,
            r##"<text x="16" y="{:.1}" font-size="14" font-weight="bold" fill="#555">{}</text>"##,
            y + 5.0,
            escape(words.now)
        );
        for (side, state) in [LaneSide::Left, LaneSide::Right].into_iter().zip(step.now) {
            state_box(
                &mut out,
                lane_x(side),
                y,
                state.rfc_name(),
                side == LaneSide::Left,
            );
        }
    }
    for (b, span) in ladder.bands.iter().zip(&vertical.bands) {
        band(&mut out, b.phase, &b.title, *span, width);
    }
    for &(y, seconds) in &vertical.breaks {
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="14" fill="#ffffff"/><text x="{:.1}" y="{:.1}" font-size="14" font-style="italic" text-anchor="middle" fill="#555">~ {} ~</text>"##,
            lane_x(LaneSide::Left) - 6.0,
            y - 7.0,
            LANE_GAP + 12.0,
            (lane_x(LaneSide::Left) + lane_x(LaneSide::Right)) / 2.0,
            y + 5.0,
            escape(&(ladder.lang.time().gap_later)(seconds))
        );
    }
    // Lifelines and their headers.
    let bottom = height - 20.0;
    for side in [LaneSide::Left, LaneSide::Right] {
        let lane = ladder.lane(side);
        let x = lane_x(side);
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#444" stroke-width="2"/>"##,
            HEADER - 40.0
        );
        let _ = writeln!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" font-size="16" font-weight="bold" text-anchor="middle" fill="#111">{}</text><text x="{x:.1}" y="{:.1}" font-size="14" text-anchor="middle" fill="#555">{}</text>"##,
            HEADER - 82.0,
            escape(&lane.endpoint),
            HEADER - 62.0,
            escape(&lane.role)
        );
        if let Some(seen) = &lane.seen_as {
            let _ = writeln!(
                out,
                r##"<text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#666">{}</text>"##,
                HEADER - 46.0,
                escape(seen)
            );
        }
        state_box(
            &mut out,
            x,
            HEADER - 26.0,
            &lane.initial_label,
            side == LaneSide::Left,
        );
    }
    for (row, &(y, y_sent, y_arrived)) in ladder.rows.iter().zip(&vertical.rows) {
        let y = y - 1.0;
        match row {
            Row::Packet(a) => {
                let (x1, x2, colour) = travel(a.from);
                let lost = a.timing.lost.is_some();
                // A lost packet stops short of its receiver, with a cross.
                let share = if lost { 0.62 } else { 1.0 };
                let (x2, y2) = (
                    x1 + (x2 - x1) * share,
                    y_sent + (y_arrived - y_sent) * share,
                );
                let (dx, dy) = (x2 - x1, y2 - y_sent);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let (ux, uy) = (dx / len, dy / len);
                let (tx, ty) = (x2 - ux * 2.0, y2 - uy * 2.0);
                let (bx, by) = (tx - ux * 14.0, ty - uy * 14.0);
                let dash = if lost {
                    r#" stroke-dasharray="9 5""#
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    r##"<g><title>{}</title><line x1="{x1:.1}" y1="{y_sent:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2.5"{dash}/>"##,
                    escape(&a.accessible_name()),
                    bx + ux * 4.0,
                    by + uy * 4.0,
                );
                if lost {
                    let _ = writeln!(
                        out,
                        r##"<path d="M{:.1},{:.1} l14,14 m0,-14 l-14,14" stroke="{colour}" stroke-width="3"/>"##,
                        x2 - 7.0,
                        y2 - 7.0
                    );
                } else {
                    let fill = if mode == ViewMode::Time && a.timing.arrival_estimated {
                        format!(r##"fill="#ffffff" stroke="{colour}" stroke-width="1.5""##)
                    } else {
                        format!(r#"fill="{colour}""#)
                    };
                    let _ = writeln!(
                        out,
                        r##"<polygon points="{tx:.1},{ty:.1} {:.1},{:.1} {:.1},{:.1}" {fill}/>"##,
                        bx - uy * 6.0,
                        by + ux * 6.0,
                        bx + uy * 6.0,
                        by - ux * 6.0,
                    );
                }
                let label_x = (lane_x(LaneSide::Left) + lane_x(LaneSide::Right)) / 2.0;
                let _ = writeln!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="14" text-anchor="middle" fill="{colour}"><tspan font-weight="bold">{}</tspan> {}</text></g>"##,
                    label_x,
                    y + 1.0,
                    escape(&a.flags),
                    escape(&a.detail)
                );
                let _ = writeln!(
                    out,
                    r##"<text x="16" y="{:.1}" font-size="13" fill="#333">{}</text><text x="16" y="{:.1}" font-size="12" fill="#777">#{}</text>"##,
                    y + 2.0,
                    escape(&a.time),
                    y + 17.0,
                    a.frame
                );
                for b in &a.states {
                    let text = b
                        .transitions
                        .iter()
                        .map(|t| t.to.rfc_name())
                        .collect::<Vec<_>>()
                        .join(" → ");
                    let at = if b.lane == a.from { y_sent } else { y_arrived };
                    state_box(
                        &mut out,
                        lane_x(b.lane),
                        at,
                        &text,
                        b.lane == LaneSide::Left,
                    );
                }
                let mut marks: Vec<String> = a.mark_words().map(str::to_string).collect();
                if lost {
                    marks.push(ladder.lang.time().lost_mark.to_string());
                }
                if mode == ViewMode::Time
                    && let Some(waited) = a.timing.waited
                {
                    marks.push((ladder.lang.time().waited_short)(waited));
                }
                if !marks.is_empty() {
                    let _ = writeln!(
                        out,
                        r##"<text x="{:.1}" y="{:.1}" font-size="13" font-weight="bold" fill="{MARK}">{}</text>"##,
                        lane_x(LaneSide::Right) + STATE_COL,
                        y + 13.0,
                        escape(&marks.join("; "))
                    );
                }
                // The packet's notes, as a callout under its marks.
                for (i, note) in notes_in(ladder.lang, &a.notes).iter().enumerate() {
                    let _ = writeln!(
                        out,
                        r##"<text x="{:.1}" y="{:.1}" font-size="13" font-style="italic" fill="#7a4a00">✎ {}</text>"##,
                        lane_x(LaneSide::Right) + STATE_COL,
                        y + 29.0 + 15.0 * i as f64,
                        escape(note)
                    );
                }
            }
            Row::Unseen(u) => {
                let (x1, x2, colour) = travel(u.from);
                let x2 = x1 + (x2 - x1) * 0.62;
                let y2 = y_sent + (y_arrived - y_sent) * 0.62;
                let _ = writeln!(
                    out,
                    r##"<g opacity="0.75"><title>{}</title><line x1="{x1:.1}" y1="{y_sent:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{colour}" stroke-width="2.5" stroke-dasharray="9 5"/><path d="M{:.1},{:.1} l14,14 m0,-14 l-14,14" stroke="{colour}" stroke-width="3"/><text x="{:.1}" y="{:.1}" font-size="14" font-style="italic" text-anchor="middle" fill="{colour}">{}</text></g>"##,
                    escape(&u.label),
                    x2 - 7.0,
                    y2 - 7.0,
                    (lane_x(LaneSide::Left) + lane_x(LaneSide::Right)) / 2.0,
                    y + 1.0,
                    escape(&u.label)
                );
            }
            Row::Collapsed { .. } => {
                let _ = writeln!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="14" font-style="italic" text-anchor="middle" fill="#555">{}</text>"##,
                    (lane_x(LaneSide::Left) + lane_x(LaneSide::Right)) / 2.0,
                    y + 6.0,
                    escape(&row.collapsed_label().unwrap_or_default())
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Fonts for rendering: the bundled ones, then whatever the system has (CJK included).
pub fn font_database() -> resvg::usvg::fontdb::Database {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf").to_vec());
    db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans-Bold-subset.ttf").to_vec());
    db.load_font_data(include_bytes!("../../assets/fonts/NotoSansSC-subset.otf").to_vec());
    db.load_system_fonts();
    db
}

/// The most pixels a PNG export may have (64 megapixels, 256 MB of RGBA).
pub const MAX_PNG_PIXELS: f64 = 64.0 * 1024.0 * 1024.0;

/// Rasterise an SVG document to PNG bytes at `scale` (2.0 for slides), shrinking the scale
/// if the image would exceed [`MAX_PNG_PIXELS`].
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut options = resvg::usvg::Options::default();
    *options.fontdb_mut() = font_database();
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| format!("invalid SVG: {e}"))?;
    let size = tree.size();
    // Never ask for more than MAX_PNG_PIXELS: shrink the scale to fit, and refuse when the
    // drawing would become unreadably small (a long ladder belongs in an SVG).
    let area = f64::from(size.width()) * f64::from(size.height());
    let fit = (MAX_PNG_PIXELS / area.max(1.0)).sqrt() as f32;
    let scale = scale.min(fit);
    if scale < 0.5 {
        return Err(format!(
            "a {:.0}×{:.0} ladder is too long for a PNG; export it as SVG, or collapse data runs",
            size.width(),
            size.height()
        ));
    }
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| format!("cannot make a {w}×{h} image"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG encoding failed: {e}"))
}
