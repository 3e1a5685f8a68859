//! The data behind the stream graphs, ready to plot: series with the packet behind each
//! point, tcptrace's segment bars (and the plot item that draws them, one line per pixel
//! column when zoomed out), and the moving average of the throughput.

use crate::flow::Side;
use crate::graphs::{Bar, Point, StreamGraphs, stream_graphs};
use crate::session::Session;
use egui::{Color32, Pos2, Shape, Stroke, Ui, pos2};
use egui_plot::{
    ClosestElem, PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform,
};
use std::ops::RangeInclusive;

/// A series of points with the packet behind each one.
#[derive(Clone, Debug, Default)]
pub(super) struct Series {
    pub(super) points: Vec<PlotPoint>,
    pub(super) packets: Vec<u32>,
}

impl Series {
    pub(super) fn of(points: &[Point]) -> Series {
        Series {
            points: points
                .iter()
                .map(|p| PlotPoint::new(p.t, p.value))
                .collect(),
            packets: points.iter().map(|p| p.packet).collect(),
        }
    }

    /// A staircase: the value holds until the next point (ACK numbers and windows are
    /// states, not samples).
    pub(super) fn steps(points: &[Point]) -> Series {
        let mut s = Series::default();
        let mut previous: Option<f64> = None;
        for p in points {
            if let Some(v) = previous {
                s.points.push(PlotPoint::new(p.t, v));
                s.packets.push(p.packet);
            }
            s.points.push(PlotPoint::new(p.t, p.value));
            s.packets.push(p.packet);
            previous = Some(p.value);
        }
        s
    }
}

/// Vertical bars (segments, SACK blocks).
#[derive(Clone, Debug, Default)]
pub(super) struct Bars {
    pub(super) bars: Vec<Bar>,
    /// The middle of each bar: where hovering and clicking find it.
    pub(super) mids: Vec<PlotPoint>,
}

impl Bars {
    pub(super) fn of<'b>(bars: impl Iterator<Item = &'b Bar>) -> Bars {
        let bars: Vec<Bar> = bars.copied().collect();
        let mids = bars
            .iter()
            .map(|b| PlotPoint::new(b.t, (b.start + b.end) / 2.0))
            .collect();
        Bars { bars, mids }
    }
}

/// Everything the four graphs of one direction plot.
#[derive(Debug)]
pub(super) struct GraphData {
    pub(super) stream: u32,
    pub(super) sender: Side,
    /// "client → server".
    pub(super) direction: String,
    pub(super) segments: Bars,
    pub(super) retransmissions: Bars,
    pub(super) sacks: Bars,
    pub(super) acks: Series,
    pub(super) window_edge: Series,
    pub(super) throughput: Series,
    pub(super) throughput_average: Series,
    /// The averaging window of `throughput_average`, in seconds.
    pub(super) average_window: f64,
    pub(super) rtt: Series,
    pub(super) receive_window: Series,
    pub(super) in_flight: Series,
    pub(super) handshake_rtt_ms: Option<f64>,
    /// The time range the graphs open on: the connection from its first packet to its
    /// last data segment, padded (`None`: no segment carried data).
    pub(super) data_span: Option<(f64, f64)>,
}

impl GraphData {
    pub(super) fn of(session: &Session, stream: u32, sender: Side) -> GraphData {
        let g: StreamGraphs = stream_graphs(session, stream, sender);
        let conn = session.connection(stream);
        let average = moving_average(&g.segments);
        GraphData {
            stream,
            sender,
            direction: conn.map_or_else(String::new, |c| {
                direction_words(c, sender, crate::i18n::Lang::En.ui())
            }),
            segments: Bars::of(g.segments.iter().filter(|b| !b.retransmission)),
            retransmissions: Bars::of(g.segments.iter().filter(|b| b.retransmission)),
            sacks: Bars::of(g.sacks.iter()),
            acks: Series::steps(&g.acks),
            window_edge: Series::steps(&g.window_edge),
            throughput: Series::of(&g.throughput),
            throughput_average: average.0,
            average_window: average.1,
            rtt: Series::of(&g.rtt_ms),
            receive_window: Series::steps(&g.receive_window),
            in_flight: Series::of(&g.bytes_in_flight),
            handshake_rtt_ms: conn.and_then(|c| c.handshake_rtt()).map(|s| s * 1000.0),
            data_span: data_span(session, stream),
        }
    }
}

/// Where the connection's data lies in time (seconds since the capture's first packet, as
/// the graphs' x axis): from its first packet to its last segment that carried data in
/// either direction — keep-alives and zero-window probes are not data — with a margin,
/// so a burst followed by minutes of keep-alives fills the plot.
pub(super) fn data_span(session: &Session, stream: u32) -> Option<(f64, f64)> {
    use crate::flow::Flag;
    session.connection(stream)?;
    let capture_start = session.packets.first()?.ts();
    let packets = || session.connection_packets(stream);
    let first = packets().next()?.ts().seconds_since(capture_start);
    let last_data = packets()
        .filter(|p| {
            p.payload_len > 0
                && !p.analysis.flags.has(Flag::KeepAlive)
                && !p.analysis.flags.has(Flag::ZeroWindowProbe)
        })
        .map(|p| p.ts().seconds_since(capture_start))
        .reduce(f64::max)?;
    let margin = ((last_data - first) * 0.05).max(0.000_5);
    Some((first - margin, last_data + margin))
}

/// "client → server" in `w`'s language.
pub(super) fn direction_words(
    conn: &crate::flow::Connection,
    sender: Side,
    w: &crate::i18n::UiTexts,
) -> String {
    let words = match (conn.roles_known(), sender == conn.client()) {
        (true, true) => w.dir_client_server,
        (true, false) => w.dir_server_client,
        (false, true) => "A → B",
        (false, false) => "B → A",
    };
    words.to_string()
}

/// Lines are drawn point by point (steps stay crisp) — except in connections so long
/// that egui_plot's min/max band is both faster and truer at that density.
pub(super) fn dense(series: &Series) -> bool {
    series.points.len() > 20_000
}

/// Throughput averaged over a window of a tenth of the transfer (between 1 ms and 1 s),
/// so a transfer shorter than a second still gets a meaningful average line (bytes sent
/// in the window ÷ the window). Returns the series and the window in seconds.
pub(super) fn moving_average(segments: &[Bar]) -> (Series, f64) {
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
        return (Series::default(), 1.0);
    };
    let window = ((last.t - first.t) / 10.0).clamp(0.001, 1.0);
    let mut series = Series::default();
    let mut sum = 0.0;
    let mut oldest = 0usize;
    for (i, bar) in segments.iter().enumerate() {
        sum += bar.end - bar.start;
        while let Some(old) = segments
            .get(oldest)
            .filter(|o| bar.t - o.t > window && oldest < i)
        {
            sum -= old.end - old.start;
            oldest += 1;
        }
        series.points.push(PlotPoint::new(bar.t, sum / window));
        series.packets.push(bar.packet);
    }
    (series, window)
}

/// Vertical bars with short end ticks, tcptrace style ("I"), drawn only where visible.
pub(super) struct BarsItem<'d> {
    pub(super) base: PlotItemBase,
    pub(super) bars: &'d Bars,
    pub(super) colour: Color32,
    pub(super) width: f32,
    /// A ring around each bar's middle, so rare bars (retransmissions) stand out when
    /// zoomed out.
    pub(super) ringed: bool,
}

impl<'d> BarsItem<'d> {
    pub(super) fn new(name: &str, bars: &'d Bars, colour: Color32, width: f32) -> BarsItem<'d> {
        BarsItem {
            base: PlotItemBase::new(name.to_string()),
            bars,
            colour,
            width,
            ringed: false,
        }
    }

    pub(super) fn ringed(self) -> Self {
        BarsItem {
            ringed: true,
            ..self
        }
    }
}

impl PlotItem for BarsItem<'_> {
    fn shapes(&self, _ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let visible = transform.bounds();
        let (min, max) = (visible.min(), visible.max());
        let width = if self.highlighted() {
            self.width + 1.0
        } else {
            self.width
        };
        let stroke = Stroke::new(width, self.colour);
        let (t_min, t_max) = (
            min.first().copied().unwrap_or(f64::MIN),
            max.first().copied().unwrap_or(f64::MAX),
        );
        let first = self.bars.bars.partition_point(|b| b.t < t_min);
        let end = self.bars.bars.partition_point(|b| b.t <= t_max).max(first);
        let shown = self.bars.bars.get(first..end).unwrap_or(&[]);
        // Bars that land on the same pixel column are drawn as one line: a 100 000-segment
        // connection zoomed out costs no more than its width in pixels.
        let ticks = shown.len() <= 2000;
        let mut column: Option<(f32, f32, f32)> = None;
        let flush = |column: Option<(f32, f32, f32)>, shapes: &mut Vec<Shape>| {
            if let Some((x, top, bottom)) = column {
                shapes.push(Shape::line_segment([pos2(x, top), pos2(x, bottom)], stroke));
            }
        };
        for bar in shown {
            let low = transform.position_from_point(&PlotPoint::new(bar.t, bar.start));
            let high = transform.position_from_point(&PlotPoint::new(bar.t, bar.end));
            let x = low.x.round();
            column = match column {
                Some((cx, top, bottom)) if cx == x => {
                    Some((cx, top.min(high.y), bottom.max(low.y)))
                }
                other => {
                    flush(other, shapes);
                    Some((x, high.y, low.y))
                }
            };
            if ticks {
                for y in [low.y, high.y] {
                    shapes.push(Shape::line_segment(
                        [pos2(low.x - 3.0, y), pos2(low.x + 3.0, y)],
                        stroke,
                    ));
                }
            }
            if self.ringed {
                shapes.push(Shape::circle_stroke(
                    pos2(low.x, (low.y + high.y) / 2.0),
                    6.0,
                    Stroke::new(1.5, self.colour),
                ));
            }
        }
        flush(column, shapes);
    }

    fn initialize(&mut self, _x_range: RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.colour
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::Points(&self.bars.mids)
    }

    fn find_closest(&self, point: Pos2, transform: &PlotTransform) -> Option<ClosestElem> {
        self.bars
            .bars
            .iter()
            .enumerate()
            .map(|(index, bar)| {
                let low = transform.position_from_point(&PlotPoint::new(bar.t, bar.start));
                let high = transform.position_from_point(&PlotPoint::new(bar.t, bar.end));
                let y = point.y.clamp(high.y.min(low.y), high.y.max(low.y));
                ClosestElem {
                    index,
                    dist_sq: point.distance_sq(pos2(low.x, y)),
                }
            })
            .min_by(|a, b| a.dist_sq.total_cmp(&b.dist_sq))
    }

    fn bounds(&self) -> PlotBounds {
        let mut bounds = PlotBounds::NOTHING;
        for bar in &self.bars.bars {
            bounds.extend_with(&PlotPoint::new(bar.t, bar.start));
            bounds.extend_with(&PlotPoint::new(bar.t, bar.end));
        }
        bounds
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}
