//! The ladder canvas (central panel): paints a [`Ladder`] model — two lifelines, one arrow
//! per row with its label above it, state boxes where states change, shaded phase bands —
//! and turns clicks into commands.
//!
//! Where things go is [`geometry`]'s business (`screen_from_ladder`, the row layout, the
//! columns). The vertical layout is computed once per ladder; each frame only the items
//! inside the scroll viewport are painted and made interactive, so a 100 000-packet
//! connection scrolls as smoothly as a 3-packet one. In step mode the same ladder and
//! layout are drawn up to the revealed row (the [`Stage`] carries a [`Revealed`]); no
//! copy of the ladder is made.
//!
//! Each arrow's analysis marks come from the model ([`crate::ladder::Arrow::marks`]): its
//! colour is its most serious mark's group, its badges and mark words are drawn by
//! [`super::analysis`].
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
pub mod overview;

use geometry::{
    BAND_TITLE_HEIGHT, Columns, HEADER_HEIGHT, INITIAL_HEIGHT, Item, LABEL_SIZE, STATE_BOX_DROP,
    STATE_BOX_HEIGHT, STATE_SIZE, TIME_MIN_GAP, other, time_font,
};
pub use geometry::{
    LadderTransform, LadderView, ROW_HEIGHT, Revealed, RowLayout, RowPlace, Shown, canvas_spacing,
    lane_fraction,
};

/// What every painting function needs: the model, the columns, where the diagram is,
/// and the colours.
struct Scene<'a> {
    ladder: &'a Ladder,
    columns: Columns,
    t: LadderTransform,
    palette: Palette,
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
    let shown = Shown {
        view,
        revealed: stage.revealed.as_ref(),
    };
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
    // The overview strip takes the right edge; the ladder and its headers the rest.
    let ladder_x = overview::split(ui.available_rect_before_wrap()).1.x_range();
    let columns = Columns::measure(ui, shown.rows(), ladder_x);
    header_ui(ui, ladder, &columns, &palette);
    if let Some(now) = stage.now {
        current_states_ui(ui, ladder, &columns, &palette, now);
    }
    if let Some(kernel) = &stage.kernel {
        kernel_states_ui(ui, ladder, &columns, &palette, kernel);
    }

    let mut command = None;
    let (strip, ladder_rect) = overview::split(ui.available_rect_before_wrap());
    let last = overview::last(ui, ladder.stream);
    let hovering = ui
        .ctx()
        .pointer_hover_pos()
        .is_some_and(|p| ladder_rect.contains(p));
    let jump = overview::strip_ui(ui, strip, &shown, selected, last, &palette)
        .or_else(|| last.and_then(|l| overview::paging(ui, hovering, l)));
    let mut area = egui::ScrollArea::vertical()
        .id_salt(("ladder", ladder.stream))
        .auto_shrink([false, false])
        .content_margin(0.0);
    if scroll == Scroll::Top {
        area = area.vertical_scroll_offset(0.0);
    } else if let Some(y) = jump {
        area = area.vertical_scroll_offset(y);
    }
    let mut area_ui = ui.new_child(egui::UiBuilder::new().max_rect(ladder_rect));
    let output = area.show_viewport(&mut area_ui, |ui, viewport| {
        ui.set_height(shown.height());
        ui.set_width(ui.available_width());
        let origin = ui.max_rect().min;
        let columns = Columns::measure(ui, shown.rows(), ui.max_rect().x_range());
        let t = columns.transform(origin.y);
        let painter = ui.painter().clone();
        let scene = Scene {
            ladder,
            columns,
            t,
            palette,
            stage: stage.clone(),
        };

        paint_bands(ui, &shown, &scene, viewport);
        if view.rows.is_time() {
            capture_point_ui(ui, &shown, &scene, viewport);
        }
        // Lifelines, from the initial boxes down to the end of the diagram.
        let y_range = Rangef::new(
            (INITIAL_HEIGHT * 0.4).max(viewport.min.y),
            (shown.height() - 12.0).min(viewport.max.y),
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
            .get(shown.visible(viewport.y_range()))
            .unwrap_or(&[])
        {
            if !shown.shows(item, top) {
                continue;
            }
            let c = match item {
                Item::Initial => {
                    initial_ui(ui, &scene);
                    None
                }
                Item::BandTitle(band) => {
                    if let Some(band) = shown.band(band) {
                        band_title_ui(ui, &scene, band, top);
                    }
                    None
                }
                Item::Break(i) => {
                    if let Some(gap) = view.rows.time.as_ref().and_then(|t| t.breaks.get(i)) {
                        break_ui(ui, &scene, gap);
                    }
                    None
                }
                Item::Row(row) => match (shown.rows().get(row), shown.place(row)) {
                    (Some(Row::Packet(arrow)), Some(place)) => {
                        let band = view.rows.row_bands.get(row).copied().flatten();
                        let tint = band
                            .and_then(|b| shown.band(b))
                            .map(|b| palette.band(b.phase).0);
                        let c = arrow_row_ui(
                            ui,
                            &scene,
                            arrow,
                            selected == Some(arrow.packet),
                            place,
                            tint,
                            view.rows.is_time().then(|| RowTime {
                                receipt_y: last_arrival_from(&shown, row, other(arrow.from)),
                            }),
                        );
                        if view.rows.is_time() {
                            time_marks_ui(ui, &shown, &scene, row, arrow, place);
                        }
                        c
                    }
                    (
                        Some(
                            row @ Row::Collapsed {
                                first,
                                segments,
                                acks,
                                first_frame,
                                last_frame,
                                ..
                            },
                        ),
                        Some(place),
                    ) => collapsed_row_ui(
                        ui,
                        &scene,
                        CollapsedRun {
                            first: *first,
                            segments: *segments,
                            acks: *acks,
                            label: row.collapsed_label().unwrap_or_default(),
                            first_frame: *first_frame,
                            last_frame: *last_frame,
                        },
                        place,
                    ),
                    (Some(Row::Unseen(unseen)), Some(place)) => {
                        unseen_row_ui(ui, &scene, unseen, place);
                        None
                    }
                    _ => None,
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
        if let Some(place) = target
            .and_then(|p| shown.row_of_packet(p))
            .and_then(|row| shown.place(row))
        {
            let bottom = match align {
                Some(_) => place.top + ROW_HEIGHT,
                None => place.end.max(place.top + ROW_HEIGHT),
            };
            let rect = Rect::from_x_y_ranges(
                columns.full,
                Rangef::new(t.top + place.top - 20.0, t.top + bottom + 20.0),
            );
            ui.scroll_to_rect(rect, align);
        }
        // Remember the first packet wholly in view.
        let in_view = shown.visible(viewport.y_range());
        let in_view = view.rows.items.get(in_view).unwrap_or(&[]);
        let first_in_view = in_view.iter().find_map(|&(item, top)| match item {
            Item::Row(row) if top >= viewport.min.y => match shown.rows().get(row) {
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
    // The space the ladder took, so the panel below knows it is used.
    ui.advance_cursor_after_rect(area_ui.min_rect().union(strip));
    overview::remember(
        ui,
        ladder.stream,
        overview::Scrolled {
            offset: output.state.clamped_offset().y,
            viewport: output.inner_rect.height(),
            content: output.content_size.y,
        },
    );
    command
}

/// The height of the lane headers' third line ("seen by the server as …").
const SEEN_AS_HEIGHT: f32 = 16.0;

/// The lane headers (endpoint and role), fixed above the scrolling diagram.
fn header_ui(ui: &mut Ui, ladder: &Ladder, columns: &Columns, palette: &Palette) {
    // Both ends through a NAT: a third line says how the other end saw each endpoint.
    let seen_as = ladder.lanes.iter().any(|l| l.seen_as.is_some());
    let height = HEADER_HEIGHT + if seen_as { SEEN_AS_HEIGHT } else { 0.0 };
    let (rect, _) = ui.allocate_exact_size(vec2(columns.full.span(), height), Sense::hover());
    let t = columns.transform(rect.top());
    let painter = ui.painter_at(rect);
    // What the times count from, in the margin's width (two lines when it needs them).
    let header = super::lang(ui.ctx())
        .time()
        .margin_headers
        .get(ladder.time_mode.index())
        .copied()
        .unwrap_or_default();
    let mut job = LayoutJob::single_section(
        // Chinese has no spaces to wrap at: its unit in brackets goes on a line of its own.
        header.replacen(" / ", "\n", 1).replace("（", "\n（"),
        TextFormat::simple(FontId::proportional(11.5), palette.weak_text),
    );
    // Right-aligned 3 px inside the margin, with 2 px to spare on its left.
    job.wrap.max_width = columns.margin.span().max(40.0) - 5.0;
    job.halign = Align::RIGHT;
    let galley = painter.layout_job(job);
    painter.galley(
        pos2(
            columns.margin.max - 3.0,
            rect.bottom() - 2.0 - galley.size().y,
        ),
        galley,
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
        let mut text = format!("{} {}", lane.role, lane.endpoint);
        if let Some(seen) = &lane.seen_as {
            let line = one_line(
                ui,
                seen,
                FontId::proportional(12.0),
                palette.weak_text,
                half.span(),
            );
            let at = pos2(place(line.size().x), role_rect.bottom() + 1.0);
            painter.galley(at, line, palette.weak_text);
            text = format!("{text}, {seen}");
        }
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
    let boxes = now.map(|state| {
        let (fill, _, text) = palette.state(state);
        LaneBox {
            text: state.rfc_name().to_string(),
            fill,
            text_colour: text,
            name: state.to_string(),
        }
    });
    lane_boxes_ui(
        ui,
        ladder,
        columns,
        palette,
        super::ui_texts(ui.ctx()).now,
        boxes,
        "now in",
    );
}

/// The socket lab: the kernel's own state of each endpoint's socket (what `netstat`
/// prints), under the lane headers, with whether it agrees with the ladder's.
fn kernel_states_ui(
    ui: &mut Ui,
    ladder: &Ladder,
    columns: &Columns,
    palette: &Palette,
    kernel: &[super::live::KernelLane; 2],
) {
    let words = crate::i18n::live_texts(super::lang(ui.ctx()));
    let boxes = [0, 1].map(|i| {
        let lane = kernel.get(i).cloned().unwrap_or_default();
        // ✔ where the kernel agrees with the ladder, ≠ (on amber) where it does not.
        let (mark, fill) = if lane.agrees {
            ("✔", palette.weak_text.gamma_multiply(0.15))
        } else {
            ("≠", palette.warning.gamma_multiply(0.35))
        };
        LaneBox {
            text: format!("{mark} {}", lane.text),
            fill,
            text_colour: palette.text,
            name: format!(
                "{} ({})",
                lane.text,
                if lane.agrees {
                    words.agree
                } else {
                    words.differ
                }
            ),
        }
    });
    lane_boxes_ui(
        ui,
        ladder,
        columns,
        palette,
        words.kernel_row,
        boxes,
        "kernel state",
    );
}

/// One box under each lane header.
struct LaneBox {
    text: String,
    fill: Color32,
    text_colour: Color32,
    /// What a screen reader says after the role.
    name: String,
}

/// A row of two boxes under the lane headers, labelled in the margin: each box centred on
/// its lifeline unless that would cross the middle; then it leans outwards (over the
/// margin or the state column), and only shrinks when even that is not enough.
fn lane_boxes_ui(
    ui: &mut Ui,
    ladder: &Ladder,
    columns: &Columns,
    palette: &Palette,
    row_label: &str,
    boxes: [LaneBox; 2],
    spoken: &str,
) {
    let height = STATE_BOX_HEIGHT + 10.0;
    let (rect, _) = ui.allocate_exact_size(vec2(columns.full.span(), height), Sense::hover());
    let t = columns.transform(rect.top());
    let painter = ui.painter_at(rect);
    let label = painter.layout(
        row_label.to_string(),
        style::bold(13.0),
        palette.weak_text,
        columns.margin.span().max(40.0) - 8.0,
    );
    painter.galley(
        pos2(
            columns.margin.max - 6.0 - label.size().x,
            rect.center().y - label.size().y / 2.0,
        ),
        label,
        palette.weak_text,
    );
    let mid = (t.left_x + t.right_x) / 2.0;
    for (side, lane_box) in [LaneSide::Left, LaneSide::Right].into_iter().zip(boxes) {
        let room = match side {
            LaneSide::Left => mid - 4.0 - rect.left(),
            LaneSide::Right => rect.right() - mid - 4.0,
        }
        .max(40.0);
        let layout = |size: f32| {
            painter.layout_no_wrap(
                lane_box.text.clone(),
                style::bold(size),
                lane_box.text_colour,
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
        painter.rect_filled(box_rect, 6.0, lane_box.fill);
        painter.rect_stroke(
            box_rect,
            6.0,
            Stroke::new(2.5, palette.direction(side)),
            StrokeKind::Inside,
        );
        painter.galley(
            box_rect.center() - galley.size() / 2.0,
            galley,
            lane_box.text_colour,
        );
        let role = &ladder.lane(side).role;
        label_node(
            ui,
            box_rect,
            Id::unique((spoken, side_index(side))),
            &format!("{role} {spoken} {}", lane_box.name),
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
fn paint_bands(ui: &Ui, shown: &Shown<'_>, scene: &Scene<'_>, viewport: Rect) {
    let (columns, t, palette) = (&scene.columns, &scene.t, &scene.palette);
    let painter = ui.painter();
    for (band, (top, bottom)) in shown.band_spans() {
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
        // The screen reader's name is the label the lane carries, in the reader's language.
        let name = format!("{}: {}", lane.role, lane.initial_label);
        if lane.initial_assumed {
            ui.painter().text(
                pos2(centre.x, rect.bottom() + 2.0),
                Align2::CENTER_TOP,
                super::lang(ui.ctx()).texts().assumed(),
                FontId::proportional(12.0),
                palette.weak_text,
            );
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
    place: RowPlace,
    band_tint: Option<Color32>,
    time: Option<RowTime>,
) -> Option<Command> {
    let time_view = time.is_some();
    let receipt_y = time.and_then(|t| t.receipt_y);
    let (columns, t, palette) = (&scene.columns, &scene.t, &scene.palette);
    let top = place.top;
    // The row's own strip: its label and where its arrow leaves (in the time view rows
    // may be as close as TIME_MIN_GAP).
    let row_rect = if time_view {
        Rect::from_x_y_ranges(
            columns.full,
            Rangef::new(
                t.top + place.start - TIME_MIN_GAP + 6.0,
                t.top + place.start + 6.0,
            ),
        )
    } else {
        Rect::from_x_y_ranges(
            columns.full,
            Rangef::new(t.top + top, t.top + top + ROW_HEIGHT),
        )
    };
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
    let start = t.screen_from_ladder(lane_fraction(from), place.start);
    let end = t.screen_from_ladder(lane_fraction(other(from)), place.end);
    let lost = arrow.timing.lost.is_some();
    let hot = selected || response.hovered();
    let width = scene.stage.emphasis * if hot { 3.5 } else { 2.5 };
    // Step mode: the newest arrow is still on its way to the receiver.
    let progress = match scene.stage.travelling {
        Some((packet, progress)) if packet == arrow.packet => progress.clamp(0.05, 1.0),
        _ => 1.0,
    };
    let arrived = progress >= 1.0;
    // A lost packet stops short of its receiver, with a cross where it was lost.
    let reach = if lost { progress.min(0.62) } else { progress };
    let end = if reach >= 1.0 {
        end
    } else {
        start.lerp(end, reach)
    };
    // A flagged arrow takes its most serious mark's colour (the label keeps the
    // direction's colour).
    let shaft = arrow
        .mark_group()
        .map_or(colour, |group| palette.mark_colour(group));
    if lost {
        paint_lost_arrow(painter, start, end, Stroke::new(width, shaft));
    } else {
        let estimated = time_view && arrow.timing.arrival_estimated;
        paint_arrow(painter, start, end, Stroke::new(width, shaft), estimated);
    }
    if time_view && arrow.timing.sent_estimated {
        // An estimated send: a hollow dot on the sender's lifeline.
        painter.circle_filled(start, width + 1.5, ui.visuals().panel_fill);
        painter.circle_stroke(start, width + 1.5, Stroke::new(1.5, shaft));
    }
    super::analysis::badges_ui(ui, &arrow.marks, arrow.packet, start, end, palette);

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
    if !arrow.notes.is_empty() {
        // A note is pinned to this packet (its words are in the details pane).
        job.append(
            "✎",
            8.0,
            TextFormat::simple(style::bold(LABEL_SIZE + 1.0), palette.mark),
        );
    }
    super::analysis::append_mark_words(&mut job, &arrow.marks, palette);
    job.wrap.max_width = span;
    job.wrap.max_rows = 2;
    job.halign = Align::Center;
    let galley = painter.layout_job(job);
    let mid_x = (t.left_x + t.right_x) / 2.0;
    // Above the arrow; in the time view above where it leaves (arrows slope down).
    let label_bottom = if time_view {
        start.y - 6.0
    } else {
        start.y.min(end.y) - 6.0
    };
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
        pos2(columns.margin.max - 6.0, start.y - 4.0),
        Align2::RIGHT_BOTTOM,
        format!("#{}", arrow.frame),
        style::bold(14.0),
        palette.text,
    );
    painter.text(
        pos2(columns.margin.max - 6.0, start.y),
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
        if state.lane != from {
            state_box_ui(ui, scene, state, arrow, t.top + place.end);
            continue;
        }
        // In the time view, what the sender's state did on *receiving* the other side's
        // packet happened when that packet arrived, which may be after this one left
        // (a simultaneous close: FIN-WAIT-1 when its FIN leaves, CLOSING when the peer's
        // FIN arrives).
        let (received, sent): (Vec<crate::flow::Transition>, Vec<crate::flow::Transition>) = state
            .transitions
            .iter()
            .partition(|tr| tr.cause.is_receipt());
        match receipt_y {
            Some(at)
                if time_view && !sent.is_empty() && !received.is_empty() && at > place.start =>
            {
                for (part, y) in [(sent, start.y), (received, t.top + at)] {
                    let part_box = StateBox {
                        lane: state.lane,
                        state: part.last().map_or(state.state, |tr| tr.to),
                        transitions: part,
                    };
                    state_box_ui(ui, scene, &part_box, arrow, y);
                }
            }
            _ => state_box_ui(ui, scene, state, arrow, start.y),
        }
    }

    let response = if elided {
        response.on_hover_text(arrow.label())
    } else {
        response
    };
    let mut command = response
        .clicked()
        .then_some(Command::SelectPacket(arrow.packet));
    // Right-click: the packet's notes (add, edit, delete).
    response.context_menu(|ui| {
        let lang = super::lang(ui.ctx());
        if let Some(c) = super::notes::arrow_menu_ui(ui, arrow.packet, &arrow.notes, lang) {
            command = Some(c);
        }
    });
    command
}

/// An arrow from `start` to `end`; an `estimated` arrival gets an open, lighter head.
fn paint_arrow(painter: &egui::Painter, start: Pos2, end: Pos2, stroke: Stroke, estimated: bool) {
    let dir = (end - start).normalized();
    let head_length = 14.0 + stroke.width * 1.5;
    let head_half_width = 6.0 + stroke.width;
    let base = end - dir * head_length;
    painter.line_segment([start, base + dir * 1.0], stroke);
    let normal = vec2(-dir.y, dir.x);
    let head = vec![
        end,
        base + normal * head_half_width,
        base - normal * head_half_width,
    ];
    if estimated {
        painter.add(Shape::convex_polygon(
            head,
            stroke.color.gamma_multiply(0.35),
            Stroke::new(1.5, stroke.color),
        ));
    } else {
        painter.add(Shape::convex_polygon(head, stroke.color, Stroke::NONE));
    }
    // A dot where the segment leaves its sender.
    painter.circle_filled(start, stroke.width + 1.5, stroke.color);
}

/// What the time view adds to a row.
#[derive(Clone, Copy, Debug)]
struct RowTime {
    /// Where the other side's latest earlier packet reached this row's sender: its
    /// receipt transitions are drawn there.
    receipt_y: Option<f32>,
}

/// Where the latest packet from `lane` before row `row` arrived (time view).
fn last_arrival_from(shown: &Shown<'_>, row: usize, lane: LaneSide) -> Option<f32> {
    if !shown.view.rows.is_time() {
        return None;
    }
    (0..row).rev().find_map(|r| match shown.rows().get(r) {
        Some(Row::Packet(a)) if a.from == lane => shown.place(r).map(|p| p.end),
        _ => None,
    })
}

/// Bytes the capture never saw (captured at the receiver, a later segment arrived past
/// them): a faint lost arrow with its label.
fn unseen_row_ui(
    ui: &Ui,
    scene: &Scene<'_>,
    unseen: &crate::ladder::UnseenSegment,
    place: RowPlace,
) {
    let (t, palette) = (&scene.t, &scene.palette);
    let colour = palette.direction(unseen.from).gamma_multiply(0.7);
    let start = t.screen_from_ladder(lane_fraction(unseen.from), place.start);
    let end = t.screen_from_ladder(lane_fraction(other(unseen.from)), place.end);
    let stop = start.lerp(end, 0.62);
    paint_lost_arrow(
        ui.painter(),
        start,
        stop,
        Stroke::new(2.5 * scene.stage.emphasis, colour),
    );
    let galley = ui.painter().layout_no_wrap(
        unseen.label.clone(),
        FontId::proportional(LABEL_SIZE).clone(),
        colour,
    );
    let pos = pos2(
        (t.left_x + t.right_x) / 2.0 - galley.size().x / 2.0,
        start.y - 6.0 - galley.size().y,
    );
    let rect = Rect::from_min_size(pos, galley.size());
    ui.painter().galley(pos, galley, colour);
    let receiver = scene.ladder.lane(other(unseen.from));
    let lang = super::lang(ui.ctx());
    let who = receiver.role.to_lowercase();
    let why = unseen
        .timing
        .lost
        .as_ref()
        .map(|e| (lang.time().lost_because)(e, &who))
        .unwrap_or_default();
    label_node(
        ui,
        rect,
        Id::unique(("unseen", unseen.before_frame)),
        &unseen.label,
    )
    .on_hover_text(why);
}

/// A lost packet: a dashed shaft that stops where it was lost, with a cross.
fn paint_lost_arrow(painter: &egui::Painter, start: Pos2, end: Pos2, stroke: Stroke) {
    painter.add(Shape::dashed_line(&[start, end], stroke, 9.0, 5.0));
    painter.circle_filled(start, stroke.width + 1.5, stroke.color);
    let arm = 9.0;
    let cross = Stroke::new(stroke.width.max(3.0), stroke.color);
    painter.line_segment([end + vec2(-arm, -arm), end + vec2(arm, arm)], cross);
    painter.line_segment([end + vec2(-arm, arm), end + vec2(arm, -arm)], cross);
}

/// The time view's dashed "captured here" line beside the lifeline nearest the capture
/// (in the middle when the capture was taken between the two ends).
fn capture_point_ui(ui: &Ui, shown: &Shown<'_>, scene: &Scene<'_>, viewport: Rect) {
    use crate::timeline::CapturePoint;
    let (t, palette) = (&scene.t, &scene.palette);
    let ladder = scene.ladder;
    let client_lane = LaneSide::Left;
    let x = match ladder.time.capture_point {
        CapturePoint::Client => t.lifeline_x(client_lane) + 12.0,
        CapturePoint::Server => t.lifeline_x(other(client_lane)) - 12.0,
        CapturePoint::Between => (t.left_x + t.right_x) / 2.0,
        CapturePoint::Unknown | CapturePoint::BothEnds => return,
    };
    let colour = palette.weak_text;
    let top = (INITIAL_HEIGHT - 8.0).max(viewport.min.y);
    let bottom = (shown.height() - 16.0).min(viewport.max.y);
    if bottom > top {
        ui.painter().add(Shape::dashed_line(
            &[pos2(x, t.top + top), pos2(x, t.top + bottom)],
            Stroke::new(1.5, colour),
            6.0,
            6.0,
        ));
    }
    let words = super::lang(ui.ctx()).time().captured_here;
    let align = match ladder.time.capture_point {
        CapturePoint::Client => Align2::LEFT_BOTTOM,
        CapturePoint::Server => Align2::RIGHT_BOTTOM,
        _ => Align2::CENTER_BOTTOM,
    };
    let at = pos2(x, t.top + INITIAL_HEIGHT - 10.0);
    let rect = ui.painter().text(
        at,
        align,
        format!("◎ {words}"),
        FontId::proportional(12.0),
        colour,
    );
    let point = super::lang(ui.ctx()).time().point_name;
    label_node(
        ui,
        rect,
        Id::unique("captured here"),
        &format!("Captured here ({})", point(ladder.time.capture_point)),
    );
    // The handshake's round trip, as a bracket on the capture point's lifeline.
    if let Some((first, second, lane)) = ladder.time.rtt_bracket
        && let (Some(a), Some(b), Some(rtt)) =
            (shown.place(first), shown.place(second), ladder.time.rtt)
    {
        let (y0, y1) = (t.top + a.start, t.top + b.end);
        // On the inner side of the lifeline, past the "captured here" line.
        let bx = match lane {
            LaneSide::Left => t.lifeline_x(lane) + 24.0,
            LaneSide::Right => t.lifeline_x(lane) - 24.0,
        };
        let tick = match lane {
            LaneSide::Left => -6.0,
            LaneSide::Right => 6.0,
        };
        let stroke = Stroke::new(2.0, palette.mark);
        ui.painter()
            .line_segment([pos2(bx, y0), pos2(bx, y1)], stroke);
        ui.painter()
            .line_segment([pos2(bx, y0), pos2(bx + tick, y0)], stroke);
        ui.painter()
            .line_segment([pos2(bx, y1), pos2(bx + tick, y1)], stroke);
        let text = (super::lang(ui.ctx()).time().round_trip)(rtt);
        let anchor = match lane {
            LaneSide::Left => Align2::LEFT_CENTER,
            LaneSide::Right => Align2::RIGHT_CENTER,
        };
        let galley = ui
            .painter()
            .layout_no_wrap(text.clone(), style::bold(12.5), palette.mark);
        let rect = anchor.anchor_size(pos2(bx - tick, (y0 + y1) / 2.0), galley.size());
        ui.painter()
            .rect_filled(rect.expand(2.0), 3.0, ui.visuals().panel_fill);
        ui.painter().galley(rect.min, galley, palette.mark);
        label_node(ui, rect, Id::unique("rtt bracket"), &text);
    }
}

/// A compressed idle gap: the lifelines break, and the gap's length is written across.
fn break_ui(ui: &Ui, scene: &Scene<'_>, gap: &crate::ladder::GapBreak) {
    let (t, palette) = (&scene.t, &scene.palette);
    let painter = ui.painter();
    let (y0, y1) = (t.top + gap.top, t.top + gap.bottom);
    let mid = (y0 + y1) / 2.0;
    for side in [LaneSide::Left, LaneSide::Right] {
        let x = t.lifeline_x(side);
        // Hide the lifeline across the gap and draw the break's zigzag.
        painter.rect_filled(
            Rect::from_x_y_ranges(
                Rangef::new(x - 4.0, x + 4.0),
                Rangef::new(mid - 7.0, mid + 7.0),
            ),
            0.0,
            ui.visuals().panel_fill,
        );
        let zig = Stroke::new(2.0, palette.lifeline);
        painter.line_segment([pos2(x - 10.0, mid - 3.0), pos2(x + 10.0, mid - 9.0)], zig);
        painter.line_segment([pos2(x - 10.0, mid + 9.0), pos2(x + 10.0, mid + 3.0)], zig);
    }
    let text = (super::lang(ui.ctx()).time().gap_later)(gap.seconds);
    let centre = pos2((t.left_x + t.right_x) / 2.0, mid);
    let galley = painter.layout_no_wrap(text.clone(), style::bold(14.0), palette.weak_text);
    let rect = Rect::from_center_size(centre, galley.size() + vec2(16.0, 6.0));
    painter.add(Shape::dashed_line(
        &[pos2(t.left_x + 14.0, mid), pos2(rect.left() - 4.0, mid)],
        Stroke::new(1.0, palette.weak_text),
        4.0,
        4.0,
    ));
    painter.add(Shape::dashed_line(
        &[pos2(rect.right() + 4.0, mid), pos2(t.right_x - 14.0, mid)],
        Stroke::new(1.0, palette.weak_text),
        4.0,
        4.0,
    ));
    painter.rect_filled(rect, 8.0, ui.visuals().panel_fill);
    painter.galley(
        rect.center() - galley.size() / 2.0,
        galley,
        palette.weak_text,
    );
    label_node(ui, rect, Id::unique(("gap", gap.top.to_bits())), &text);
}

/// The time view's marks of one arrow: the wait before a timeout retransmission.
fn time_marks_ui(
    ui: &Ui,
    shown: &Shown<'_>,
    scene: &Scene<'_>,
    row: usize,
    arrow: &Arrow,
    place: RowPlace,
) {
    let Some(waited) = arrow.timing.waited else {
        return;
    };
    let t = &scene.t;
    // The previous copy: the nearest earlier row from the same lane sent `waited` before.
    let since = arrow.timing.sent_at - waited;
    let previous = (0..row).rev().find_map(|r| match scene.ladder.rows.get(r) {
        Some(Row::Packet(a)) if a.from == arrow.from && (a.timing.sent_at - since).abs() < 1e-6 => {
            shown.place(r)
        }
        _ => None,
    });
    let Some(previous) = previous else {
        return;
    };
    let x = t.lifeline_x(arrow.from);
    let (bx, tick, anchor) = match arrow.from {
        LaneSide::Left => (x - 20.0, 6.0, Align2::RIGHT_CENTER),
        LaneSide::Right => (x + 20.0, -6.0, Align2::LEFT_CENTER),
    };
    let (y0, y1) = (t.top + previous.start, t.top + place.start);
    let colour = scene.palette.mark;
    let stroke = Stroke::new(1.5, colour);
    ui.painter().add(Shape::dashed_line(
        &[pos2(bx, y0), pos2(bx, y1)],
        stroke,
        4.0,
        3.0,
    ));
    ui.painter()
        .line_segment([pos2(bx, y0), pos2(bx + tick, y0)], stroke);
    ui.painter()
        .line_segment([pos2(bx, y1), pos2(bx + tick, y1)], stroke);
    let words = super::lang(ui.ctx()).time();
    let text = (words.waited_short)(waited);
    let mut job = LayoutJob::single_section(
        text.clone(),
        TextFormat::simple(FontId::proportional(12.0), colour),
    );
    job.wrap.max_width = scene.columns.state_width.max(80.0);
    job.halign = match arrow.from {
        LaneSide::Left => Align::RIGHT,
        LaneSide::Right => Align::LEFT,
    };
    let galley = ui.painter().layout_job(job);
    let size = galley.size();
    let rect = anchor.anchor_size(pos2(bx - tick, (y0 + y1) / 2.0), size);
    let origin = match arrow.from {
        LaneSide::Left => pos2(rect.right(), rect.top()),
        LaneSide::Right => rect.min,
    };
    ui.painter().galley(origin, galley, colour);
    label_node(ui, rect, Id::unique(("waited", arrow.packet)), &text)
        .on_hover_text((words.waited)(waited));
}

fn state_box_ui(ui: &Ui, scene: &Scene<'_>, state: &StateBox, arrow: &Arrow, y: f32) {
    let (ladder, columns, t, palette) = (scene.ladder, &scene.columns, &scene.t, &scene.palette);
    let painter = ui.painter();
    let x = t.lifeline_x(state.lane);
    // Every state the endpoint passed through on this packet, one per line:
    // "FIN-WAIT-1 →" over "CLOSING".
    let chain: Vec<&str> = state.transitions.iter().map(|t| t.to.rfc_name()).collect();
    let text = match chain.as_slice() {
        [] | [_] => state.state.rfc_name().to_string(),
        more => more.join(" →\n"),
    };
    let galley = painter.layout_no_wrap(text, style::bold(STATE_SIZE), palette.text);
    let width = (galley.size().x + 14.0).min(columns.state_width);
    let height = STATE_BOX_HEIGHT.max(galley.size().y + 6.0);
    let rect = match state.lane {
        LaneSide::Left => Rect::from_min_size(
            pos2(x - 8.0 - width, y + STATE_BOX_DROP - STATE_BOX_HEIGHT / 2.0),
            vec2(width, height),
        ),
        LaneSide::Right => Rect::from_min_size(
            pos2(x + 8.0, y + STATE_BOX_DROP - STATE_BOX_HEIGHT / 2.0),
            vec2(width, height),
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
    /// Packets in the run, and how many of them are ACKs without data.
    segments: usize,
    acks: usize,
    label: String,
    first_frame: u64,
    last_frame: u64,
}

fn collapsed_row_ui(
    ui: &Ui,
    scene: &Scene<'_>,
    run: CollapsedRun,
    place: RowPlace,
) -> Option<Command> {
    let (t, palette) = (&scene.t, &scene.palette);
    let top = place.top;
    let bottom = place.end.max(top + ROW_HEIGHT) - top;
    let text = run.label.clone();
    let painter = ui.painter();
    let galley =
        painter.layout_no_wrap(text.clone(), FontId::proportional(LABEL_SIZE), palette.text);
    let centre = pos2((t.left_x + t.right_x) / 2.0, t.top + top + bottom / 2.0);
    let rect = Rect::from_center_size(centre, galley.size() + vec2(28.0, 14.0));
    let id = Id::unique(("collapsed", run.first));
    let response = ui.interact(rect, id, Sense::click());
    let data = run.segments.saturating_sub(run.acks);
    let name = if run.acks > 0 {
        format!(
            "Expand {data} data segments and {} ACKs, frames {}–{}",
            run.acks, run.first_frame, run.last_frame
        )
    } else {
        format!(
            "Expand {data} data segments, frames {}–{}",
            run.first_frame, run.last_frame
        )
    };
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
                Rangef::new(t.top + top + 6.0, t.top + top + bottom - 6.0),
            ),
            0.0,
            ui.visuals().panel_fill,
        );
        painter.add(Shape::dashed_line(
            &[
                pos2(x, t.top + top + 6.0),
                pos2(x, t.top + top + bottom - 6.0),
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
