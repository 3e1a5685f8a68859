//! The ladder canvas (central panel): paints a [`Ladder`] model — two lifelines, one arrow
//! per row with its label above it, state boxes where states change, shaded phase bands —
//! and turns clicks into commands.
//!
//! Where things go is [`geometry`]'s business (`screen_from_ladder`, the row layout, the
//! columns). The vertical layout is computed once per ladder; each frame only the items
//! inside the scroll viewport are painted and made interactive, so a 100 000-packet
//! connection scrolls as smoothly as a 3-packet one.
//!
//! Everything painted by hand also reports itself to AccessKit: each arrow is a button
//! named `arrow.accessible_name()` ("Packet 2: SYN, ACK"), and the label text, state boxes,
//! band titles and lane headers are labels — so screen readers and the UI tests can read
//! and click them.

use super::commands::Command;
use super::step::Stage;
use super::style::{self, Palette};
use crate::ladder::{Arrow, Band, Ladder, LaneSide, Row, StateBox};
use egui::text::{LayoutJob, TextFormat};
use egui::{
    Align, Align2, Color32, FontId, Id, Pos2, Rangef, Rect, Role, Sense, Shape, Stroke, StrokeKind,
    Ui, WidgetInfo, pos2, vec2,
};

pub mod geometry;

use geometry::{
    ARROW_DROP, ARROW_TOP, BAND_TITLE_HEIGHT, Columns, HEADER_HEIGHT, INITIAL_HEIGHT, Item,
    LABEL_SIZE, STATE_BOX_DROP, STATE_BOX_HEIGHT, STATE_SIZE, other, time_font,
};
pub use geometry::{LadderTransform, LadderView, ROW_HEIGHT, RowLayout, lane_fraction};

/// What every painting function needs: the model, the columns, where the diagram is,
/// and the colours.
struct Scene<'a> {
    ladder: &'a Ladder,
    columns: Columns,
    t: LadderTransform,
    palette: Palette,
    /// Analysis marks of the flagged arrows (colour, badges, words).
    marks: &'a super::analysis::MarkIndex,
    /// Step mode's travelling arrow, presentation's thick strokes.
    stage: Stage,
}

/// Where the diagram scrolls this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scroll {
    /// Where the user left it.
    #[default]
    Keep,
    /// To the very top (a connection shown for the first time starts at its beginning).
    Top,
    /// Bring the selected packet into view.
    Selected,
    /// Put this packet (index in `Session::packets`) at the top of the view.
    PacketAtTop(u32),
}

/// The packet whose row was the first one in view last frame (to keep it in view when
/// the layout changes, as when presentation mode starts).
pub fn packet_at_top(ctx: &egui::Context) -> Option<u32> {
    ctx.data(|d| d.get_temp::<u32>(packet_at_top_id()))
}

fn packet_at_top_id() -> Id {
    Id::unique("ladder packet at top")
}

/// The central panel's contents: title and notes, the lane headers, the scrolling diagram.
#[must_use = "apply the returned command"]
pub fn ladder_ui(
    ui: &mut Ui,
    view: &LadderView,
    selected: Option<u32>,
    scroll: Scroll,
    stage: Stage,
) -> Option<Command> {
    let ladder = &view.ladder;
    let palette = Palette::of(ui);
    ui.label(egui::RichText::new(&ladder.title).font(style::bold(17.0)));
    if !ladder.states_note.is_empty() && !stage.compact {
        ui.label(
            egui::RichText::new(&ladder.states_note)
                .small()
                .color(palette.weak_text),
        );
    }
    for note in &ladder.notes {
        ui.label(egui::RichText::new(format!("⚠ {note}")).color(palette.warning));
    }
    let columns = Columns::measure(ui, ladder, ui.available_rect_before_wrap().x_range());
    header_ui(ui, ladder, &columns, &palette);
    if let Some(now) = stage.now {
        current_states_ui(ui, ladder, &columns, &palette, now);
    }

    let mut command = None;
    let mut area = egui::ScrollArea::vertical()
        .id_salt(("ladder", ladder.stream))
        .auto_shrink([false, false])
        .content_margin(0.0);
    if scroll == Scroll::Top {
        area = area.vertical_scroll_offset(0.0);
    }
    area.show_viewport(ui, |ui, viewport| {
        ui.set_height(view.rows.height());
        ui.set_width(ui.available_width());
        let origin = ui.max_rect().min;
        let columns = Columns::measure(ui, ladder, ui.max_rect().x_range());
        let t = columns.transform(origin.y);
        let painter = ui.painter().clone();
        let scene = Scene {
            ladder,
            columns,
            t,
            palette,
            marks: &view.marks,
            stage,
        };

        paint_bands(ui, view, &scene, viewport);
        // Lifelines, from the initial boxes down to the end of the diagram.
        let y_range = Rangef::new(
            (INITIAL_HEIGHT * 0.4).max(viewport.min.y),
            (view.rows.height() - 12.0).min(viewport.max.y),
        );
        for side in [LaneSide::Left, LaneSide::Right] {
            let x = t.lifeline_x(side);
            painter.vline(
                x,
                Rangef::new(origin.y + y_range.min, origin.y + y_range.max),
                Stroke::new(3.0 * stage.emphasis, palette.lifeline),
            );
        }

        for &(item, top) in view
            .rows
            .items
            .get(view.rows.visible(viewport.y_range()))
            .unwrap_or(&[])
        {
            let c = match item {
                Item::Initial => {
                    initial_ui(ui, &scene);
                    None
                }
                Item::BandTitle(band) => {
                    if let Some(band) = ladder.bands.get(band) {
                        band_title_ui(ui, &scene, band, top);
                    }
                    None
                }
                Item::Row(row) => match ladder.rows.get(row) {
                    Some(Row::Packet(arrow)) => {
                        let band = view.rows.row_bands.get(row).copied().flatten();
                        let tint = band
                            .and_then(|b| ladder.bands.get(b))
                            .map(|b| palette.band(b.phase).0);
                        arrow_row_ui(ui, &scene, arrow, selected == Some(arrow.packet), top, tint)
                    }
                    Some(
                        row @ Row::Collapsed {
                            first,
                            segments,
                            first_frame,
                            last_frame,
                            ..
                        },
                    ) => collapsed_row_ui(
                        ui,
                        &scene,
                        CollapsedRun {
                            first: *first,
                            segments: *segments,
                            label: row.collapsed_label().unwrap_or_default(),
                            first_frame: *first_frame,
                            last_frame: *last_frame,
                        },
                        top,
                    ),
                    None => None,
                },
            };
            if c.is_some() {
                command = c;
            }
        }

        let (target, align) = match scroll {
            Scroll::Selected => (selected, None),
            Scroll::PacketAtTop(packet) => (Some(packet), Some(Align::TOP)),
            Scroll::Keep | Scroll::Top => (None, None),
        };
        if let Some(top) = target
            .and_then(|p| ladder.row_of_packet(p))
            .and_then(|row| view.rows.row_top(row))
        {
            let rect = Rect::from_x_y_ranges(
                columns.full,
                Rangef::new(t.top + top - 20.0, t.top + top + ROW_HEIGHT + 20.0),
            );
            ui.scroll_to_rect(rect, align);
        }
        // Remember the first packet wholly in view.
        let in_view = view.rows.visible(viewport.y_range());
        let in_view = view.rows.items.get(in_view).unwrap_or(&[]);
        let first_in_view = in_view.iter().find_map(|&(item, top)| match item {
            Item::Row(row) if top >= viewport.min.y => match ladder.rows.get(row) {
                Some(Row::Packet(arrow)) => Some(arrow.packet),
                _ => None,
            },
            _ => None,
        });
        if let Some(packet) = first_in_view {
            ui.ctx()
                .data_mut(|d| d.insert_temp(packet_at_top_id(), packet));
        }
    });
    command
}

/// The lane headers (endpoint and role), fixed above the scrolling diagram.
fn header_ui(ui: &mut Ui, ladder: &Ladder, columns: &Columns, palette: &Palette) {
    let (rect, _) =
        ui.allocate_exact_size(vec2(columns.full.span(), HEADER_HEIGHT), Sense::hover());
    let t = columns.transform(rect.top());
    let painter = ui.painter_at(rect);
    painter.text(
        pos2(columns.margin.max - 6.0, rect.bottom() - 4.0),
        Align2::RIGHT_BOTTOM,
        super::ui_texts(ui.ctx()).frame_time,
        FontId::proportional(12.0),
        palette.weak_text,
    );
    // Each header stays on its own half, so the two never overlap; long addresses are cut.
    let mid = (t.left_x + t.right_x) / 2.0;
    for side in [LaneSide::Left, LaneSide::Right] {
        let lane = ladder.lane(side);
        let x = t.lifeline_x(side);
        let half = match side {
            LaneSide::Left => Rangef::new(columns.full.min, mid - 6.0),
            LaneSide::Right => Rangef::new(mid + 6.0, columns.full.max - 2.0),
        };
        let endpoint = one_line(
            ui,
            &lane.endpoint,
            style::bold(15.0),
            palette.text,
            half.span(),
        );
        let role = one_line(
            ui,
            &lane.role,
            style::bold(13.0),
            palette.direction(side),
            half.span(),
        );
        let place = |width: f32| (x - width / 2.0).min(half.max - width).max(half.min);
        let endpoint_rect = Rect::from_min_size(
            pos2(place(endpoint.size().x), rect.top() + 2.0),
            endpoint.size(),
        );
        let role_rect = Rect::from_min_size(
            pos2(place(role.size().x), endpoint_rect.bottom() + 1.0),
            role.size(),
        );
        painter.galley(endpoint_rect.min, endpoint, palette.text);
        painter.galley(role_rect.min, role, palette.direction(side));
        let text = format!("{} {}", lane.role, lane.endpoint);
        label_node(
            ui,
            endpoint_rect.union(role_rect),
            Id::unique(("lane header", side_index(side))),
            &text,
        );
    }
}

/// Step mode: each endpoint's state now, in a box under its lane header, fixed above the
/// scrolling diagram.
fn current_states_ui(
    ui: &mut Ui,
    ladder: &Ladder,
    columns: &Columns,
    palette: &Palette,
    now: [crate::flow::TcpState; 2],
) {
    let height = STATE_BOX_HEIGHT + 10.0;
    let (rect, _) = ui.allocate_exact_size(vec2(columns.full.span(), height), Sense::hover());
    let t = columns.transform(rect.top());
    let painter = ui.painter_at(rect);
    painter.text(
        pos2(columns.margin.max - 6.0, rect.center().y),
        Align2::RIGHT_CENTER,
        super::ui_texts(ui.ctx()).now,
        style::bold(13.0),
        palette.weak_text,
    );
    // Each box is centred on its lifeline unless that would cross the middle; then it
    // leans outwards (over the margin or the state column), and only shrinks when even
    // that is not enough.
    let mid = (t.left_x + t.right_x) / 2.0;
    for (side, state) in [LaneSide::Left, LaneSide::Right].into_iter().zip(now) {
        let room = match side {
            LaneSide::Left => mid - 4.0 - rect.left(),
            LaneSide::Right => rect.right() - mid - 4.0,
        }
        .max(40.0);
        let layout = |size: f32| {
            painter.layout_no_wrap(
                state.rfc_name().to_string(),
                style::bold(size),
                palette.text,
            )
        };
        let mut galley = layout(STATE_SIZE + 2.0);
        if galley.size().x + 20.0 > room {
            galley = layout(((STATE_SIZE + 2.0) * (room - 20.0) / galley.size().x).max(8.0));
        }
        let size = vec2(galley.size().x + 20.0, STATE_BOX_HEIGHT + 4.0);
        let x = match side {
            LaneSide::Left => t.left_x.min(mid - 4.0 - size.x / 2.0),
            LaneSide::Right => t.right_x.max(mid + 4.0 + size.x / 2.0),
        }
        .clamp(rect.left() + size.x / 2.0, rect.right() - size.x / 2.0);
        let box_rect = Rect::from_center_size(pos2(x, rect.center().y), size);
        let (fill, _, text) = palette.state(state);
        painter.rect_filled(box_rect, 6.0, fill);
        painter.rect_stroke(
            box_rect,
            6.0,
            Stroke::new(2.5, palette.direction(side)),
            StrokeKind::Inside,
        );
        painter.galley(box_rect.center() - galley.size() / 2.0, galley, text);
        let role = &ladder.lane(side).role;
        label_node(
            ui,
            box_rect,
            Id::unique(("current state", side_index(side))),
            &format!("{role} now in {state}"),
        );
    }
}

/// One line of text, cut with "…" when wider than `width`.
fn one_line(
    ui: &Ui,
    text: &str,
    font: FontId,
    colour: Color32,
    width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = LayoutJob::single_section(text.to_string(), TextFormat::simple(font, colour));
    job.wrap.max_width = width.max(20.0);
    job.wrap.max_rows = 1;
    job.wrap.break_anywhere = true;
    ui.painter().layout_job(job)
}

fn side_index(side: LaneSide) -> u8 {
    match side {
        LaneSide::Left => 0,
        LaneSide::Right => 1,
    }
}

/// Shaded rectangles behind each phase.
fn paint_bands(ui: &Ui, view: &LadderView, scene: &Scene<'_>, viewport: Rect) {
    let (columns, t, palette) = (&scene.columns, &scene.t, &scene.palette);
    let painter = ui.painter();
    for (band, span) in view.ladder.bands.iter().zip(&view.rows.band_spans) {
        let Some((top, bottom)) = *span else {
            continue;
        };
        if bottom < viewport.min.y || top > viewport.max.y {
            continue;
        }
        let (tint, title_colour) = palette.band(band.phase);
        let rect = Rect::from_x_y_ranges(
            Rangef::new(columns.margin.max - 2.0, columns.full.max - 4.0),
            Rangef::new(t.top + top, t.top + bottom),
        );
        painter.rect_filled(rect, 6.0, tint);
        painter.rect_filled(
            Rect::from_x_y_ranges(Rangef::new(rect.left(), rect.left() + 4.0), rect.y_range()),
            2.0,
            title_colour.gamma_multiply(0.6),
        );
    }
}

fn band_title_ui(ui: &Ui, scene: &Scene<'_>, band: &Band, top: f32) {
    let (columns, t, palette) = (&scene.columns, &scene.t, &scene.palette);
    let (_, colour) = palette.band(band.phase);
    let left = columns.margin.max + 12.0;
    let width = columns.full.max - 12.0 - left;
    let galley = one_line(ui, &band.title, style::bold(15.0), colour, width);
    let rect = Rect::from_min_size(
        pos2(
            left,
            t.top + top + (BAND_TITLE_HEIGHT - galley.size().y) / 2.0,
        ),
        galley.size(),
    );
    let elided = galley.elided;
    // On a backing of the band's own shade, so the lifelines do not strike through it.
    let (tint, _) = palette.band(band.phase);
    let backing = ui.visuals().panel_fill.blend(tint);
    ui.painter()
        .rect_filled(rect.expand2(vec2(4.0, 1.0)), 3.0, backing);
    ui.painter().galley(rect.min, galley, colour);
    let id = Id::unique(("band title", band.first_row));
    let response = label_node(ui, rect, id, &band.title);
    if elided {
        response.on_hover_text(&band.title);
    }
}

/// The initial state of each endpoint, at the top of its lifeline.
fn initial_ui(ui: &Ui, scene: &Scene<'_>) {
    let (ladder, t, palette) = (scene.ladder, &scene.t, &scene.palette);
    for side in [LaneSide::Left, LaneSide::Right] {
        let lane = ladder.lane(side);
        let centre = t.screen_from_ladder(lane_fraction(side), 22.0);
        let galley = ui.painter().layout_no_wrap(
            lane.initial_state.rfc_name().to_string(),
            style::bold(STATE_SIZE),
            palette.text,
        );
        let size = vec2(galley.size().x + 16.0, STATE_BOX_HEIGHT);
        let rect = Rect::from_center_size(centre, size);
        let (fill, stroke, text) = palette.state(lane.initial_state);
        ui.painter().rect_filled(rect, 5.0, fill);
        ui.painter()
            .rect_stroke(rect, 5.0, Stroke::new(1.5, stroke), StrokeKind::Inside);
        ui.painter()
            .galley(rect.center() - galley.size() / 2.0, galley, text);
        let mut name = format!("{} starts in {}", lane.role, lane.initial_state);
        if lane.initial_assumed {
            ui.painter().text(
                pos2(centre.x, rect.bottom() + 2.0),
                Align2::CENTER_TOP,
                super::lang(ui.ctx()).texts().assumed(),
                FontId::proportional(12.0),
                palette.weak_text,
            );
            name.push_str(" (assumed)");
        }
        let response = label_node(
            ui,
            rect,
            Id::unique(("initial state", side_index(side))),
            &name,
        );
        let w = super::ui_texts(ui.ctx());
        response.on_hover_text(if lane.initial_assumed {
            w.initial_assumed
        } else {
            w.initial_state_hint
        });
    }
}

fn arrow_row_ui(
    ui: &Ui,
    scene: &Scene<'_>,
    arrow: &Arrow,
    selected: bool,
    top: f32,
    band_tint: Option<Color32>,
) -> Option<Command> {
    let (columns, t, palette) = (&scene.columns, &scene.t, &scene.palette);
    let row_rect = Rect::from_x_y_ranges(
        columns.full,
        Rangef::new(t.top + top, t.top + top + ROW_HEIGHT),
    );
    let id = Id::unique(("arrow", arrow.packet));
    let response = ui.interact(row_rect, id, Sense::click());
    response.widget_info(|| {
        WidgetInfo::selected(Role::Button, true, selected, arrow.accessible_name())
    });
    let painter = ui.painter();

    if selected {
        painter.rect_filled(
            row_rect.shrink2(vec2(0.0, 1.0)),
            4.0,
            palette.selection_fill,
        );
        painter.rect_filled(
            Rect::from_x_y_ranges(
                Rangef::new(row_rect.left(), row_rect.left() + 4.0),
                row_rect.y_range(),
            ),
            2.0,
            palette.selection_stroke,
        );
    } else if response.hovered() {
        painter.rect_filled(row_rect, 4.0, palette.hover_fill);
    }

    let from = arrow.from;
    let colour = palette.direction(from);
    let start = t.screen_from_ladder(lane_fraction(from), top + ARROW_TOP);
    let end = t.screen_from_ladder(lane_fraction(other(from)), top + ARROW_TOP + ARROW_DROP);
    let hot = selected || response.hovered();
    let width = scene.stage.emphasis * if hot { 3.5 } else { 2.5 };
    // Step mode: the newest arrow is still on its way to the receiver.
    let progress = match scene.stage.travelling {
        Some((packet, progress)) if packet == arrow.packet => progress.clamp(0.05, 1.0),
        _ => 1.0,
    };
    let arrived = progress >= 1.0;
    let end = if arrived {
        end
    } else {
        start.lerp(end, progress)
    };
    // A flagged arrow takes its mark's colour (the label keeps the direction's colour).
    let marks = scene.marks.marks(arrow.packet);
    let shaft = scene
        .marks
        .arrow_colour(arrow.packet, palette.dark)
        .unwrap_or(colour);
    paint_arrow(painter, start, end, Stroke::new(width, shaft));
    super::analysis::badges_ui(ui, marks, arrow.packet, start, end, palette.dark);

    // The label, centred above the arrow, at most two lines. It may run over the state
    // columns (the boxes hang below the arrows), on a backing that keeps the lifelines
    // from striking through it.
    let span = (t.right_x - t.left_x + 2.0 * columns.state_width).max(60.0);
    let mut job = LayoutJob::default();
    job.append(
        &arrow.flags,
        0.0,
        TextFormat::simple(style::bold(LABEL_SIZE), colour),
    );
    job.append(
        &arrow.detail,
        6.0,
        TextFormat::simple(FontId::proportional(LABEL_SIZE), palette.text),
    );
    if marks.is_empty() {
        for mark in &arrow.marks {
            job.append(
                &format!("⚑ {mark}"),
                8.0,
                TextFormat::simple(style::bold(13.0), palette.mark),
            );
        }
    } else {
        super::analysis::append_mark_words(&mut job, marks, palette);
    }
    job.wrap.max_width = span;
    job.wrap.max_rows = 2;
    job.halign = Align::Center;
    let galley = painter.layout_job(job);
    let mid_x = (t.left_x + t.right_x) / 2.0;
    let label_bottom = start.y.min(end.y) - 6.0;
    let label_pos = pos2(mid_x, label_bottom - galley.size().y);
    let label_rect = Rect::from_center_size(
        pos2(mid_x, label_bottom - galley.size().y / 2.0),
        galley.size(),
    );
    let elided = galley.elided;
    let mut backing = ui.visuals().panel_fill;
    if let Some(tint) = band_tint {
        backing = backing.blend(tint);
    }
    if selected {
        backing = backing.blend(palette.selection_fill);
    }
    for row in &galley.rows {
        let rect = row
            .rect()
            .translate(label_pos.to_vec2())
            .expand2(vec2(3.0, 0.0));
        if rect.left() < t.left_x + 2.0 || rect.right() > t.right_x - 2.0 {
            painter.rect_filled(rect, 3.0, backing);
        }
    }
    painter.galley(label_pos, galley, palette.text);
    label_node(ui, label_rect, id.with("label"), &arrow.label());

    // Frame number and time in the margin.
    painter.text(
        pos2(columns.margin.max - 6.0, t.top + top + ARROW_TOP - 4.0),
        Align2::RIGHT_BOTTOM,
        format!("#{}", arrow.frame),
        style::bold(14.0),
        palette.text,
    );
    painter.text(
        pos2(columns.margin.max - 6.0, t.top + top + ARROW_TOP),
        Align2::RIGHT_TOP,
        &arrow.time,
        time_font(),
        palette.weak_text,
    );

    for state in &arrow.states {
        // The receiver's state changes when the segment arrives.
        if state.lane != from && !arrived {
            continue;
        }
        let y = if state.lane == from { start.y } else { end.y };
        state_box_ui(ui, scene, state, arrow, y);
    }

    let response = if elided {
        response.on_hover_text(arrow.label())
    } else {
        response
    };
    response
        .clicked()
        .then_some(Command::SelectPacket(arrow.packet))
}

fn paint_arrow(painter: &egui::Painter, start: Pos2, end: Pos2, stroke: Stroke) {
    let dir = (end - start).normalized();
    let head_length = 14.0 + stroke.width * 1.5;
    let head_half_width = 6.0 + stroke.width;
    let base = end - dir * head_length;
    painter.line_segment([start, base + dir * 1.0], stroke);
    let normal = vec2(-dir.y, dir.x);
    painter.add(Shape::convex_polygon(
        vec![
            end,
            base + normal * head_half_width,
            base - normal * head_half_width,
        ],
        stroke.color,
        Stroke::NONE,
    ));
    // A dot where the segment leaves its sender.
    painter.circle_filled(start, stroke.width + 1.5, stroke.color);
}

fn state_box_ui(ui: &Ui, scene: &Scene<'_>, state: &StateBox, arrow: &Arrow, y: f32) {
    let (ladder, columns, t, palette) = (scene.ladder, &scene.columns, &scene.t, &scene.palette);
    let painter = ui.painter();
    let x = t.lifeline_x(state.lane);
    let galley = painter.layout_no_wrap(
        state.state.rfc_name().to_string(),
        style::bold(STATE_SIZE),
        palette.text,
    );
    let width = (galley.size().x + 14.0).min(columns.state_width);
    let rect = match state.lane {
        LaneSide::Left => Rect::from_min_size(
            pos2(x - 8.0 - width, y + STATE_BOX_DROP - STATE_BOX_HEIGHT / 2.0),
            vec2(width, STATE_BOX_HEIGHT),
        ),
        LaneSide::Right => Rect::from_min_size(
            pos2(x + 8.0, y + STATE_BOX_DROP - STATE_BOX_HEIGHT / 2.0),
            vec2(width, STATE_BOX_HEIGHT),
        ),
    };
    let (fill, stroke, text) = palette.state(state.state);
    painter.rect_filled(rect, 5.0, fill);
    painter.rect_stroke(rect, 5.0, Stroke::new(1.5, stroke), StrokeKind::Inside);
    painter.galley(rect.center() - galley.size() / 2.0, galley, text);
    // Tie the box to the lifeline.
    painter.circle_filled(pos2(x, y), 5.0, stroke);

    let role = &ladder.lane(state.lane).role;
    let name = format!("{role} state {}", state.state);
    let response = label_node(
        ui,
        rect,
        Id::unique(("state box", arrow.packet, side_index(state.lane))),
        &name,
    );
    let lang = super::lang(ui.ctx());
    let t = lang.texts();
    let why: Vec<String> = state
        .transitions
        .iter()
        .map(|tr| {
            format!(
                "{} → {}: {}",
                t.state(tr.from),
                t.state(tr.to),
                t.cause(tr.cause)
            )
        })
        .collect();
    let head = crate::i18n::UiTexts::fill(
        lang.ui().after_frame,
        &[role.as_ref(), &arrow.frame.to_string()],
    );
    response.on_hover_text(format!("{head}\n{}", why.join("\n")));
}

/// A run of data segments shown as one row.
#[derive(Clone, Debug)]
struct CollapsedRun {
    first: u32,
    segments: usize,
    label: String,
    first_frame: u64,
    last_frame: u64,
}

fn collapsed_row_ui(ui: &Ui, scene: &Scene<'_>, run: CollapsedRun, top: f32) -> Option<Command> {
    let (t, palette) = (&scene.t, &scene.palette);
    let text = run.label.clone();
    let painter = ui.painter();
    let galley =
        painter.layout_no_wrap(text.clone(), FontId::proportional(LABEL_SIZE), palette.text);
    let centre = pos2((t.left_x + t.right_x) / 2.0, t.top + top + ROW_HEIGHT / 2.0);
    let rect = Rect::from_center_size(centre, galley.size() + vec2(28.0, 14.0));
    let id = Id::unique(("collapsed", run.first));
    let response = ui.interact(rect, id, Sense::click());
    let name = format!(
        "Expand {} data segments, frames {}–{}",
        run.segments, run.first_frame, run.last_frame
    );
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
    let visuals = if response.hovered() {
        ui.visuals().widgets.hovered
    } else {
        ui.visuals().widgets.inactive
    };
    // Dashed lifelines through the run: time passes, details hidden.
    for side in [LaneSide::Left, LaneSide::Right] {
        let x = t.lifeline_x(side);
        painter.rect_filled(
            Rect::from_x_y_ranges(
                Rangef::new(x - 3.0, x + 3.0),
                Rangef::new(t.top + top + 6.0, t.top + top + ROW_HEIGHT - 6.0),
            ),
            0.0,
            ui.visuals().panel_fill,
        );
        painter.add(Shape::dashed_line(
            &[
                pos2(x, t.top + top + 6.0),
                pos2(x, t.top + top + ROW_HEIGHT - 6.0),
            ],
            Stroke::new(3.0, palette.lifeline),
            6.0,
            5.0,
        ));
    }
    painter.rect_filled(rect, 12.0, visuals.weak_bg_fill);
    painter.rect_stroke(rect, 12.0, visuals.bg_stroke, StrokeKind::Inside);
    painter.galley(rect.center() - galley.size() / 2.0, galley, palette.text);
    response
        .on_hover_text(super::ui_texts(ui.ctx()).expand_run_hint)
        .clicked()
        .then_some(Command::Expand(run.first))
}

/// Expose painted text to AccessKit as a label; returns the (hover-only) response.
fn label_node(ui: &Ui, rect: Rect, id: Id, text: &str) -> egui::Response {
    let response = ui.interact(rect, id, Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, text));
    response
}
