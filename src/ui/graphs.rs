//! The stream graphs window: the four classic graphs of one connection and one direction
//! of data — tcptrace's time–sequence graph, throughput, round-trip time, window size —
//! plotted with egui_plot from [`crate::graphs::stream_graphs`]. Each graph says in one
//! sentence how to read it; hovering a point names its frame; clicking on or near a point
//! selects that packet in the ladder ([`Command::GoToPacket`]). The selected packet is
//! ringed on the graph.
//!
//! The series are computed once per (connection, direction) and kept in [`GraphsState`]
//! until the connection or the capture changes; the plots borrow them each frame.

use super::commands::Command;
use super::style::Palette;
use super::summary::rtt_words;
use crate::flow::Side;
use crate::i18n::UiTexts;
use crate::session::Session;
use crate::units::group_digits;
use egui::{Color32, Pos2, RichText, Role, Ui, WidgetInfo, pos2};
use egui_plot::{
    HLine, HoverPosition, Line, LineStyle, MarkerShape, Plot, PlotPoint, PlotPoints, PlotTransform,
    Points,
};

mod series;

use series::{Bars, BarsItem, GraphData, Series, dense, direction_words};

/// Clicks further than this (points) from every point select nothing.
const CLICK_RADIUS: f32 = 18.0;

/// The four graphs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GraphKind {
    #[default]
    TimeSequence,
    Throughput,
    RoundTrip,
    Window,
}

impl GraphKind {
    const ALL: [GraphKind; 4] = [
        GraphKind::TimeSequence,
        GraphKind::Throughput,
        GraphKind::RoundTrip,
        GraphKind::Window,
    ];

    /// The graph's name in `lang`.
    pub fn title_in(self, lang: crate::i18n::Lang) -> &'static str {
        let w = lang.ui();
        match self {
            GraphKind::TimeSequence => w.graph_time_sequence,
            GraphKind::Throughput => w.graph_throughput,
            GraphKind::RoundTrip => w.graph_round_trip,
            GraphKind::Window => w.graph_window,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            GraphKind::TimeSequence => "Time–sequence",
            GraphKind::Throughput => "Throughput",
            GraphKind::RoundTrip => "Round-trip time",
            GraphKind::Window => "Window size",
        }
    }

    fn how_to_read(self, w: &UiTexts) -> &'static str {
        match self {
            GraphKind::TimeSequence => w.graph_how_time_sequence,
            GraphKind::Throughput => w.graph_how_throughput,
            GraphKind::RoundTrip => w.graph_how_round_trip,
            GraphKind::Window => w.graph_how_window,
        }
    }
}

/// The graphs window's own state.
#[derive(Debug, Default)]
pub struct GraphsState {
    pub kind: GraphKind,
    /// Whose data is plotted; `None`: the side that sent more payload.
    pub sender: Option<Side>,
    data: Option<GraphData>,
}

impl GraphsState {
    /// Drop the cached series (another connection or capture).
    pub fn forget(&mut self) {
        self.data = None;
        self.sender = None;
    }
}

/// The side that sent more payload bytes (the one whose data the graphs follow).
fn busier_side(session: &Session, stream: u32) -> Side {
    session.connection(stream).map_or(Side::A, |c| {
        let (client, server) = (c.client(), c.server());
        if c.dir(server).payload_bytes > c.dir(client).payload_bytes {
            server
        } else {
            client
        }
    })
}

/// The stream graphs window.
#[must_use = "apply the returned command"]
pub fn graphs_window(
    ctx: &egui::Context,
    state: &mut GraphsState,
    connection: Option<(&Session, u32)>,
    selected: Option<u32>,
    palette: &Palette,
) -> Option<Command> {
    let w = crate::ui::ui_texts(ctx);
    let spec = super::analysis::ConnectionWindow {
        view: super::analysis::AnalysisView::Graphs,
        name: w.graphs_window,
        pick: w.graph_pick,
        offset: egui::vec2(-360.0, 110.0),
        min_size: [420.0, 320.0],
    };
    super::analysis::connection_window(ctx, &spec, connection, |ui, session, stream| {
        graphs_ui(ui, state, session, stream, selected, palette)
    })
}

fn graphs_ui(
    ui: &mut Ui,
    state: &mut GraphsState,
    session: &Session,
    stream: u32,
    selected: Option<u32>,
    palette: &Palette,
) -> Option<Command> {
    let w = crate::ui::ui_texts(ui.ctx());
    let Some(conn) = session.connection(stream) else {
        ui.label(w.graph_not_in_capture);
        return None;
    };
    let sender = *state
        .sender
        .get_or_insert_with(|| busier_side(session, stream));
    let stale = state
        .data
        .as_ref()
        .is_none_or(|d| d.stream != stream || d.sender != sender);
    if stale {
        state.data = Some(GraphData::of(session, stream, sender));
    }

    ui.horizontal_wrapped(|ui| {
        for kind in GraphKind::ALL {
            if ui
                .add(egui::Button::selectable(
                    state.kind == kind,
                    kind.title_in(crate::ui::lang(ui.ctx())),
                ))
                .clicked()
            {
                state.kind = kind;
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(w.graph_data_sent_by);
        for side in [conn.client(), conn.server()] {
            let words = capitalise(&direction_words(conn, side, w));
            let bytes = conn.dir(side).payload_bytes;
            let response = ui
                .add(egui::Button::selectable(sender == side, &words))
                .on_hover_text(UiTexts::fill(
                    w.graph_plot_data_hint,
                    &[
                        &words,
                        &group_digits(bytes),
                        &group_digits(conn.dir(side).packets),
                    ],
                ));
            if response.clicked() {
                state.sender = Some(side);
            }
        }
    });
    let data = state.data.as_ref()?;
    let window = match state.kind {
        GraphKind::Throughput => {
            UiTexts::fill(w.graph_average_spans, &[&rtt_words(data.average_window)])
        }
        _ => String::new(),
    };
    ui.label(
        RichText::new(UiTexts::fill(
            w.graph_zoom_hint,
            &[state.kind.how_to_read(w), &window],
        ))
        .small()
        .color(palette.weak_text),
    );
    if data.data_span.is_none() {
        // No axes of zeros and no negative times: say why there is no graph.
        ui.add_space(12.0);
        ui.label(
            RichText::new(w.graph_no_segments)
                .size(16.0)
                .color(palette.warning),
        );
        return None;
    }
    if data.segments.bars.is_empty() && data.retransmissions.bars.is_empty() {
        ui.label(
            RichText::new(UiTexts::fill(
                w.graph_no_data,
                &[&direction_words(conn, sender, w)],
            ))
            .color(palette.warning),
        );
    }
    plot_ui(ui, data, state.kind, session, selected, palette)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The series of one graph, for hovering and clicking.
enum Layer<'d> {
    Points(&'static str, &'d Series),
    Bars(&'static str, &'d Bars),
}

impl Layer<'_> {
    fn name(&self) -> &'static str {
        match self {
            Layer::Points(name, _) | Layer::Bars(name, _) => name,
        }
    }

    fn packet(&self, index: usize) -> Option<u32> {
        match self {
            Layer::Points(_, s) => s.packets.get(index).copied(),
            Layer::Bars(_, b) => b.bars.get(index).map(|b| b.packet),
        }
    }

    /// Where the selected packet sits in this layer.
    fn position_of(&self, packet: u32) -> Option<PlotPoint> {
        match self {
            Layer::Points(_, s) => s
                .packets
                .iter()
                .rposition(|&p| p == packet)
                .and_then(|i| s.points.get(i).copied()),
            Layer::Bars(_, b) => b
                .bars
                .iter()
                .position(|bar| bar.packet == packet)
                .and_then(|i| b.mids.get(i).copied()),
        }
    }

    /// Screen distance from `pointer` to the nearest element, with its packet.
    fn nearest(&self, pointer: Pos2, transform: &PlotTransform) -> Option<(f32, u32)> {
        match self {
            Layer::Points(_, s) => s
                .points
                .iter()
                .zip(&s.packets)
                .map(|(p, &packet)| (transform.position_from_point(p).distance(pointer), packet))
                .min_by(|a, b| a.0.total_cmp(&b.0)),
            Layer::Bars(_, b) => b
                .bars
                .iter()
                .map(|bar| {
                    let low = transform.position_from_point(&PlotPoint::new(bar.t, bar.start));
                    let high = transform.position_from_point(&PlotPoint::new(bar.t, bar.end));
                    let y = pointer.y.clamp(high.y.min(low.y), high.y.max(low.y));
                    (pointer.distance(pos2(low.x, y)), bar.packet)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0)),
        }
    }
}

fn plot_ui(
    ui: &mut Ui,
    data: &GraphData,
    kind: GraphKind,
    session: &Session,
    selected: Option<u32>,
    palette: &Palette,
) -> Option<Command> {
    let sent = if data.sender
        == session
            .connection(data.stream)
            .map_or(Side::A, |c| c.client())
    {
        palette.client_to_server
    } else {
        palette.server_to_client
    };
    let w = crate::ui::ui_texts(ui.ctx());
    let retransmission = palette.mark_colour(crate::ladder::MarkGroup::Retransmission);
    let ack = if palette.dark {
        Color32::from_rgb(74, 222, 128)
    } else {
        Color32::from_rgb(21, 128, 61)
    };
    let window = if palette.dark {
        Color32::from_rgb(250, 204, 21)
    } else {
        Color32::from_rgb(161, 98, 7)
    };
    let sack = if palette.dark {
        Color32::from_rgb(196, 148, 253)
    } else {
        Color32::from_rgb(126, 34, 206)
    };

    let layers: Vec<Layer<'_>> = match kind {
        GraphKind::TimeSequence => vec![
            Layer::Bars(w.graph_segments, &data.segments),
            Layer::Bars(w.graph_retransmissions, &data.retransmissions),
            Layer::Bars(w.graph_sacks, &data.sacks),
            Layer::Points(w.graph_ack_number, &data.acks),
            Layer::Points(w.graph_window_edge, &data.window_edge),
        ],
        GraphKind::Throughput => vec![
            Layer::Points(w.graph_per_segment, &data.throughput),
            Layer::Points(w.graph_average, &data.throughput_average),
        ],
        GraphKind::RoundTrip => vec![Layer::Points(w.graph_rtt_point, &data.rtt)],
        GraphKind::Window => vec![
            Layer::Points(w.graph_receive_window, &data.receive_window),
            Layer::Points(w.graph_in_flight, &data.in_flight),
        ],
    };
    let y_label = match kind {
        GraphKind::TimeSequence => w.graph_y_sequence,
        GraphKind::Throughput => w.graph_y_throughput,
        GraphKind::RoundTrip => w.graph_y_round_trip,
        GraphKind::Window => w.graph_y_bytes,
    };
    let count = layers
        .iter()
        .map(|l| match l {
            Layer::Points(_, s) => s.points.len(),
            Layer::Bars(_, b) => b.bars.len(),
        })
        .sum::<usize>();
    let frame_of = |packet: u32| session.packets.get(packet as usize).map(|p| p.frame());

    let hover = |position: &HoverPosition<'_>| -> Option<String> {
        match position {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                index,
            } => {
                let layer = layers.iter().find(|l| l.name() == *plot_name)?;
                let frame = layer.packet(*index).and_then(frame_of)?;
                let what = match layer {
                    Layer::Bars(_, b) => {
                        let bar = b.bars.get(*index)?;
                        UiTexts::fill(
                            w.graph_hover_bytes,
                            &[
                                &group_digits(bar.start as u64),
                                &group_digits(bar.end as u64),
                                &group_digits((bar.end - bar.start) as u64),
                            ],
                        )
                    }
                    Layer::Points(..) => value_words(kind, position.y, w),
                };
                Some(UiTexts::fill(
                    w.graph_hover_point,
                    &[
                        *plot_name,
                        &frame.to_string(),
                        &format!("{:.6}", position.x),
                        &what,
                    ],
                ))
            }
            HoverPosition::Elsewhere { position } => Some(format!(
                "{:.6} s\n{}",
                position.x,
                value_words(kind, position.y, w)
            )),
        }
    };

    // The legend sits above the plot, never over the data.
    let mut legend: Vec<(&str, Color32)> = match kind {
        GraphKind::TimeSequence => vec![
            (w.graph_segments, palette.text),
            (w.graph_retransmissions, retransmission),
            (w.graph_sacks, sack),
            (w.graph_ack_number, ack),
            (w.graph_window_edge, window),
        ],
        GraphKind::Throughput => vec![(w.graph_per_segment, sent), (w.graph_average, ack)],
        GraphKind::RoundTrip => vec![(w.graph_rtt_point, sent)],
        GraphKind::Window => vec![(w.graph_receive_window, window), (w.graph_in_flight, sent)],
    };
    let handshake_rtt = data
        .handshake_rtt_ms
        .map(|rtt| UiTexts::fill(w.graph_handshake_rtt, &[&rtt_words(rtt / 1000.0)]));
    if let (GraphKind::RoundTrip, Some(rtt)) = (kind, &handshake_rtt) {
        legend.push((rtt, ack));
    }
    legend_ui(ui, &legend);

    let mut plot = Plot::new(("stream graph", kind, data.stream, data.sender == Side::A))
        .x_axis_label(w.graph_x_time)
        .y_axis_label(y_label)
        .label_formatter(hover)
        .allow_double_click_reset(true)
        // The wheel zooms (below); dragging pans.
        .allow_scroll(false)
        .min_size(egui::vec2(300.0, 200.0));
    if let Some((from, to)) = data.data_span.filter(|(from, to)| from < to) {
        plot = plot.default_x_bounds(from, to);
    }
    plot = match kind {
        GraphKind::Throughput => plot
            .y_axis_formatter(|mark, _| rate_words(mark.value))
            .include_y(0.0),
        GraphKind::RoundTrip | GraphKind::Window => plot
            .y_axis_formatter(|mark, _| group_digits(mark.value.max(0.0) as u64))
            .include_y(0.0),
        GraphKind::TimeSequence => {
            plot.y_axis_formatter(|mark, _| group_digits(mark.value.max(0.0) as u64))
        }
    };

    let selection = palette.selection_stroke;
    let selected_at = selected.and_then(|p| layers.iter().find_map(|l| l.position_of(p)));
    let response = plot.show(ui, |plot_ui| {
        wheel_zoom(plot_ui);
        match kind {
            GraphKind::TimeSequence => {
                plot_ui.add(BarsItem::new(
                    w.graph_segments,
                    &data.segments,
                    palette.text,
                    1.6,
                ));
                plot_ui.add(BarsItem::new(w.graph_sacks, &data.sacks, sack, 1.2));
                plot_ui.line(
                    Line::new(w.graph_ack_number, PlotPoints::Borrowed(&data.acks.points))
                        .color(ack)
                        .width(1.8)
                        .allow_band(dense(&data.acks)),
                );
                plot_ui.line(
                    Line::new(
                        w.graph_window_edge,
                        PlotPoints::Borrowed(&data.window_edge.points),
                    )
                    .color(window)
                    .width(1.4)
                    .allow_band(dense(&data.window_edge)),
                );
                // On top of the ACK line, which often runs right through them.
                plot_ui.add(
                    BarsItem::new(
                        w.graph_retransmissions,
                        &data.retransmissions,
                        retransmission,
                        2.6,
                    )
                    .ringed(),
                );
                add_selected(plot_ui, selected_at, selection, w);
            }
            GraphKind::Throughput => {
                plot_ui.points(
                    Points::new(
                        w.graph_per_segment,
                        PlotPoints::Borrowed(&data.throughput.points),
                    )
                    .color(sent)
                    .radius(2.5),
                );
                plot_ui.line(
                    Line::new(
                        w.graph_average,
                        PlotPoints::Borrowed(&data.throughput_average.points),
                    )
                    .color(ack)
                    .width(2.0)
                    .allow_band(dense(&data.throughput_average)),
                );
                add_selected(plot_ui, selected_at, selection, w);
            }
            GraphKind::RoundTrip => {
                plot_ui.points(
                    Points::new(w.graph_rtt_point, PlotPoints::Borrowed(&data.rtt.points))
                        .color(sent)
                        .radius(3.0),
                );
                if let Some(rtt) = data.handshake_rtt_ms {
                    plot_ui.hline(
                        HLine::new(
                            UiTexts::fill(w.graph_handshake_rtt, &[&rtt_words(rtt / 1000.0)]),
                            rtt,
                        )
                        .color(ack)
                        .style(LineStyle::dashed_loose()),
                    );
                }
                add_selected(plot_ui, selected_at, selection, w);
            }
            GraphKind::Window => {
                plot_ui.line(
                    Line::new(
                        w.graph_receive_window,
                        PlotPoints::Borrowed(&data.receive_window.points),
                    )
                    .color(window)
                    .width(2.0)
                    .allow_band(dense(&data.receive_window)),
                );
                plot_ui.line(
                    Line::new(
                        w.graph_in_flight,
                        PlotPoints::Borrowed(&data.in_flight.points),
                    )
                    .color(sent)
                    .width(1.6)
                    .allow_band(dense(&data.in_flight)),
                );
                add_selected(plot_ui, selected_at, selection, w);
            }
        }
    });

    let name = format!(
        "{} graph, {}: {} points. Click a point to select its packet.",
        kind.title(),
        data.direction,
        group_digits(count as u64)
    );
    response
        .response
        .widget_info(|| WidgetInfo::labeled(Role::Image, true, &name));
    if !response.response.clicked() {
        return None;
    }
    let pointer = response.response.interact_pointer_pos()?;
    layers
        .iter()
        .filter_map(|l| l.nearest(pointer, &response.transform))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(distance, _)| *distance <= CLICK_RADIUS)
        .map(|(_, packet)| Command::GoToPacket(packet))
}

/// The mouse wheel zooms around the pointer, as in most plot tools (egui_plot's own wheel
/// pans). Ctrl + wheel zooms the graph too (egui_plot), and not the whole interface: the
/// app asks [`pointer_over_graph`] first.
fn wheel_zoom(plot_ui: &mut egui_plot::PlotUi<'_>) {
    let response = plot_ui.response();
    if !response.hovered() {
        return;
    }
    let (ctx, rect) = (response.ctx.clone(), response.rect);
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| d.insert_temp(graph_hover_id(), (pass, rect)));
    let scroll = ctx.input(|i| i.smooth_scroll_delta);
    let notch = if scroll.y.abs() > scroll.x.abs() {
        scroll.y
    } else {
        scroll.x
    };
    if notch != 0.0 {
        let factor = (notch / 200.0).exp();
        plot_ui.zoom_bounds_around_hovered(egui::Vec2::splat(factor));
    }
}

fn graph_hover_id() -> egui::Id {
    egui::Id::unique("stream graph under the pointer")
}

/// Is the pointer over a stream graph (as of the last frame)? Then Ctrl + wheel zooms
/// the graph, not the interface.
pub fn pointer_over_graph(ctx: &egui::Context) -> bool {
    let Some((pass, rect)) = ctx.data(|d| d.get_temp::<(u64, egui::Rect)>(graph_hover_id())) else {
        return false;
    };
    pass + 2 >= ctx.cumulative_pass_nr()
        && ctx
            .pointer_hover_pos()
            .or_else(|| ctx.input(|i| i.pointer.latest_pos()))
            .is_some_and(|p| rect.contains(p))
}

/// The graph's legend, one swatch and name per series, in a row above the plot.
fn legend_ui(ui: &mut Ui, entries: &[(&str, Color32)]) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (name, colour) in entries {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 10.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, *colour);
            ui.label(RichText::new(*name).small());
            ui.add_space(8.0);
        }
    });
}

fn add_selected(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    at: Option<PlotPoint>,
    colour: Color32,
    w: &UiTexts,
) {
    if let Some(at) = at {
        plot_ui.points(
            Points::new(w.graph_selected, PlotPoints::Owned(vec![at]))
                .shape(MarkerShape::Circle)
                .filled(false)
                .radius(8.0)
                .color(colour)
                .allow_hover(false),
        );
    }
}

/// A value of the y axis in words, with its unit.
fn value_words(kind: GraphKind, value: f64, w: &UiTexts) -> String {
    match kind {
        GraphKind::TimeSequence => {
            UiTexts::fill(w.graph_value_byte, &[&group_digits(value.max(0.0) as u64)])
        }
        GraphKind::Throughput => rate_words(value),
        GraphKind::RoundTrip => format!("{value:.3} ms"),
        GraphKind::Window => {
            UiTexts::fill(w.graph_value_bytes, &[&group_digits(value.max(0.0) as u64)])
        }
    }
}

/// "850 B/s", "12.5 kB/s", "3.2 MB/s".
fn rate_words(bytes_per_second: f64) -> String {
    let v = bytes_per_second.max(0.0);
    if v < 1000.0 {
        format!("{v:.0} B/s")
    } else if v < 1_000_000.0 {
        format!("{:.1} kB/s", v / 1000.0)
    } else {
        format!("{:.1} MB/s", v / 1_000_000.0)
    }
}
