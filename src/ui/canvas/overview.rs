//! The overview strip beside the ladder: the whole connection in miniature — its phases
//! coloured, analysis marks and lost packets as ticks, the selected packet as a line, the
//! part in view outlined — and the ways to move through a long connection by screenfuls:
//! click or drag in the strip to jump there, PgUp/PgDn, Shift+wheel.
//!
//! The strip reads last frame's scroll state (how tall the diagram is, how much of it is
//! in view, where) and says where the ladder should scroll this frame, before the scroll
//! area is shown.

use super::{Row, Shown};
use crate::ui::style::Palette;
use egui::{Color32, Id, Rect, Sense, Stroke, Ui, pos2, vec2};

/// Width of the strip, in points.
pub const WIDTH: f32 = 26.0;

/// What the strip needs of last frame's scroll area.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scrolled {
    /// Scroll offset and the height in view, in ladder y.
    pub offset: f32,
    pub viewport: f32,
    /// Height of the whole diagram.
    pub content: f32,
}

fn state_id(stream: u32) -> Id {
    Id::unique(("ladder overview", stream))
}

/// Last frame's scroll state of the ladder of `stream`.
pub fn last(ui: &Ui, stream: u32) -> Option<Scrolled> {
    ui.ctx().data(|d| d.get_temp::<Scrolled>(state_id(stream)))
}

/// Remember this frame's scroll state for the next.
pub fn remember(ui: &Ui, stream: u32, scrolled: Scrolled) {
    ui.ctx()
        .data_mut(|d| d.insert_temp(state_id(stream), scrolled));
}

/// Where the keys and the wheel ask the ladder to scroll: a screenful up or down for
/// PgUp/PgDn (when no text field has the keyboard) and for each Shift+wheel notch over
/// the ladder.
pub fn paging(ui: &Ui, hovering: bool, last: Scrolled) -> Option<f32> {
    let ctx = ui.ctx();
    if ctx.text_edit_focused() {
        return None;
    }
    let (down, up, shift_wheel) = ctx.input(|i| {
        // Shift+wheel notches (egui would turn them sideways): either axis counts.
        let wheel: f32 = if hovering {
            i.raw
                .events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::MouseWheel {
                        delta, modifiers, ..
                    } if modifiers.shift => Some(if delta.y != 0.0 { delta.y } else { delta.x }),
                    _ => None,
                })
                .sum()
        } else {
            0.0
        };
        (
            i.key_pressed(egui::Key::PageDown),
            i.key_pressed(egui::Key::PageUp),
            wheel,
        )
    });
    let page = (last.viewport * 0.9).max(40.0);
    let step = if down || shift_wheel < 0.0 {
        page
    } else if up || shift_wheel > 0.0 {
        -page
    } else {
        return None;
    };
    let max = (last.content - last.viewport).max(0.0);
    Some((last.offset + step).clamp(0.0, max))
}

/// Draw the strip in `rect` and return where a click or drag in it asks the ladder to
/// scroll (the point clicked comes to the middle of the view).
pub fn strip_ui(
    ui: &Ui,
    rect: Rect,
    shown: &Shown<'_>,
    selected: Option<u32>,
    last: Option<Scrolled>,
    palette: &Palette,
) -> Option<f32> {
    let ladder = shown.ladder();
    let id = Id::unique(("overview strip", ladder.stream));
    let response = ui.interact(rect, id, Sense::click_and_drag());
    let name = super::super::lang(ui.ctx()).ui().overview_name;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ScrollBar, true, name));
    let response = response.on_hover_text(name);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, palette.weak_text.gamma_multiply(0.12));
    let height = shown.height().max(1.0);
    let y_of = |ladder_y: f32| rect.top() + (ladder_y / height).clamp(0.0, 1.0) * rect.height();
    let row_y = |row: usize| shown.place(row).map(|p| p.top);
    // Phases.
    for band in shown.bands() {
        if let (Some(top), Some(bottom)) = (row_y(band.first_row), shown.place(band.last_row)) {
            let (_, title) = palette.band(band.phase);
            let r = Rect::from_x_y_ranges(
                rect.x_range(),
                y_of(top)..=y_of(bottom.end.max(bottom.top + 1.0)).max(y_of(top) + 2.0),
            );
            painter.rect_filled(r, 0.0, title.gamma_multiply(0.35));
        }
    }
    // Marks (in their legend colours) and lost packets as ticks; hairlines when the rows
    // are denser than the strip's pixels. The selected packet: a line across, on top.
    let rows = shown.rows();
    let tick = if rows.len() as f32 > rect.height() / 3.0 {
        1.0
    } else {
        2.0
    };
    let mut selected_y = None;
    for (row, item) in rows.iter().enumerate() {
        let Some(top) = row_y(row) else { continue };
        let y = y_of(top);
        let (colour, width) = match item {
            Row::Packet(a) if selected == Some(a.packet) => {
                selected_y = Some(y);
                continue;
            }
            Row::Packet(a) if a.timing.lost.is_some() => (palette.error, 0.8),
            Row::Unseen(_) => (palette.error, 0.8),
            Row::Packet(a) => match a.mark_group() {
                Some(group) => (palette.mark_colour(group), 0.5),
                None => continue,
            },
            Row::Collapsed { .. } => continue,
        };
        let inset = rect.width() * (1.0 - width) / 2.0;
        painter.line_segment(
            [pos2(rect.left() + inset, y), pos2(rect.right() - inset, y)],
            Stroke::new(tick, colour),
        );
    }
    if let Some(y) = selected_y {
        painter.line_segment(
            [pos2(rect.left(), y), pos2(rect.right(), y)],
            Stroke::new(3.0, palette.selection_stroke),
        );
    }
    // The part in view.
    if let Some(last) = last.filter(|l| l.content > 0.0) {
        let top = rect.top() + last.offset / last.content * rect.height();
        let bottom = rect.top() + (last.offset + last.viewport) / last.content * rect.height();
        let shown = Rect::from_x_y_ranges(rect.x_range(), top..=bottom.max(top + 4.0));
        painter.rect_stroke(
            shown.shrink(1.0),
            2.0,
            Stroke::new(2.0, palette.text.gamma_multiply(0.7)),
            egui::StrokeKind::Inside,
        );
        painter.rect_filled(
            shown,
            2.0,
            Color32::from_white_alpha(if palette.dark { 14 } else { 40 }),
        );
    }
    let pointer = response
        .interact_pointer_pos()
        .filter(|_| response.clicked() || response.dragged())?;
    let last = last?;
    let share = ((pointer.y - rect.top()) / rect.height()).clamp(0.0, 1.0);
    let max = (last.content - last.viewport).max(0.0);
    Some((share * last.content - last.viewport / 2.0).clamp(0.0, max))
}

/// The strip's rectangle at the right of `full`, and what is left for the ladder.
pub fn split(full: Rect) -> (Rect, Rect) {
    let strip = Rect::from_min_size(
        pos2(full.right() - WIDTH, full.top()),
        vec2(WIDTH, full.height()),
    );
    let rest = Rect::from_min_max(full.min, pos2(full.right() - WIDTH - 6.0, full.bottom()));
    (strip, rest)
}
