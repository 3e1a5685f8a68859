//! The TCP state diagram of RFC 9293 (Figure 5), small, beside the ladder: the eleven
//! states as boxes in the figure's places, its transitions as thin arrows, each
//! endpoint's current state outlined in its lane colour with its role on a tag, and the
//! transitions the newest packet caused drawn thick and labelled with their cause.
//!
//! CLOSED appears twice, as in the figure: at the top (before the connection) and at the
//! bottom right (after it); an endpoint that reached CLOSED through a transition sits in
//! the bottom one. All twenty arrows of the figure are drawn, and no others. A transition
//! the observer inferred that the figure does not draw (a reset into CLOSED) is drawn
//! dashed, straight; when one segment takes an endpoint two steps at once (a FIN+ACK in
//! FIN-WAIT-1: FIN-WAIT-2, then TIME-WAIT) both arrows are drawn and their labels say so.
//!
//! It only reads a [`LaneStates`]; each box reports itself to AccessKit as
//! "State ESTABLISHED, current for client and server".

use super::style::{self, Palette};
use crate::flow::TcpState;
use crate::i18n::Lang;
use crate::ladder::{Ladder, LaneSide};
use crate::ladder::{LaneStates, lane_index};
use egui::{
    Color32, FontId, Id, Pos2, Rect, Role, Sense, Shape, Stroke, StrokeKind, Ui, WidgetInfo, pos2,
    vec2,
};

/// One box of the figure: the state and its cell (column 0..3, row 0..7).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Place {
    state: TcpState,
    /// The second CLOSED box, after the connection.
    end: bool,
    col: f32,
    row: f32,
}

const fn place(state: TcpState, col: f32, row: f32) -> Place {
    Place {
        state,
        end: false,
        col,
        row,
    }
}

const PLACES: [Place; 12] = [
    place(TcpState::Closed, 1.0, 0.0),
    place(TcpState::Listen, 1.0, 1.0),
    place(TcpState::SynReceived, 0.0, 2.0),
    place(TcpState::SynSent, 2.0, 2.0),
    place(TcpState::Established, 1.0, 3.0),
    place(TcpState::FinWait1, 0.0, 4.0),
    place(TcpState::CloseWait, 2.0, 4.0),
    place(TcpState::FinWait2, 0.0, 5.0),
    place(TcpState::Closing, 1.0, 5.0),
    place(TcpState::LastAck, 2.0, 5.0),
    place(TcpState::TimeWait, 1.0, 6.0),
    Place {
        state: TcpState::Closed,
        end: true,
        col: 2.0,
        row: 6.0,
    },
];

const ROWS: f32 = 7.0;

/// How far the rings of a current state reach outside its box (two lanes, one ring each).
const RINGS: f32 = 9.0;

/// An arrow of the figure with its RFC label ("event / action") and bends (cells).
struct Edge {
    from: TcpState,
    to: TcpState,
    /// Ends in the bottom CLOSED box.
    to_end: bool,
    rfc: &'static str,
    via: &'static [(f32, f32)],
}

const fn edge(from: TcpState, to: TcpState, rfc: &'static str) -> Edge {
    Edge {
        from,
        to,
        to_end: false,
        rfc,
        via: &[],
    }
}

/// Every arrow of RFC 9293 Figure 5, and no other: twenty.
const EDGES: [Edge; 20] = [
    edge(TcpState::Closed, TcpState::Listen, "passive OPEN"),
    Edge {
        from: TcpState::Listen,
        to: TcpState::Closed,
        to_end: false,
        rfc: "CLOSE / delete TCB",
        via: &[(0.75, 0.5)],
    },
    Edge {
        from: TcpState::Closed,
        to: TcpState::SynSent,
        to_end: false,
        rfc: "active OPEN / snd SYN",
        via: &[(2.0, 0.0)],
    },
    edge(
        TcpState::Listen,
        TcpState::SynReceived,
        "rcv SYN / snd SYN,ACK",
    ),
    edge(TcpState::Listen, TcpState::SynSent, "SEND / snd SYN"),
    Edge {
        from: TcpState::SynSent,
        to: TcpState::Closed,
        to_end: false,
        rfc: "CLOSE / delete TCB",
        via: &[(2.35, 1.6), (2.35, -0.15)],
    },
    Edge {
        from: TcpState::SynReceived,
        to: TcpState::Listen,
        to_end: false,
        rfc: "rcv RST (passive OPEN)",
        via: &[(0.0, 1.0)],
    },
    edge(
        TcpState::SynSent,
        TcpState::SynReceived,
        "rcv SYN / snd SYN,ACK",
    ),
    edge(
        TcpState::SynSent,
        TcpState::Established,
        "rcv SYN,ACK / snd ACK",
    ),
    edge(
        TcpState::SynReceived,
        TcpState::Established,
        "rcv ACK of SYN",
    ),
    edge(TcpState::SynReceived, TcpState::FinWait1, "CLOSE / snd FIN"),
    edge(TcpState::Established, TcpState::FinWait1, "CLOSE / snd FIN"),
    edge(
        TcpState::Established,
        TcpState::CloseWait,
        "rcv FIN / snd ACK",
    ),
    edge(TcpState::FinWait1, TcpState::FinWait2, "rcv ACK of FIN"),
    edge(TcpState::FinWait1, TcpState::Closing, "rcv FIN / snd ACK"),
    edge(TcpState::FinWait2, TcpState::TimeWait, "rcv FIN / snd ACK"),
    edge(TcpState::Closing, TcpState::TimeWait, "rcv ACK of FIN"),
    edge(TcpState::CloseWait, TcpState::LastAck, "CLOSE / snd FIN"),
    Edge {
        from: TcpState::LastAck,
        to: TcpState::Closed,
        to_end: true,
        rfc: "rcv ACK of FIN",
        via: &[],
    },
    Edge {
        from: TcpState::TimeWait,
        to: TcpState::Closed,
        to_end: true,
        rfc: "Timeout = 2 MSL",
        via: &[],
    },
];

/// Where a transition starts and ends on the figure: a move into CLOSED ends the
/// connection (the bottom box); leaving CLOSED starts from the top one.
fn find_place(state: TcpState, end: bool) -> Option<&'static Place> {
    let end = end && state == TcpState::Closed;
    PLACES.iter().find(|p| p.state == state && p.end == end)
}

/// Each box of the figure with the lanes that are in its state now.
fn occupants(states: &LaneStates) -> Vec<(&'static Place, Vec<LaneSide>)> {
    let mut occupants: Vec<(&Place, Vec<LaneSide>)> =
        PLACES.iter().map(|p| (p, Vec::new())).collect();
    for side in [LaneSide::Left, LaneSide::Right] {
        let ended = states.ended.get(lane_index(side)).copied().unwrap_or(false);
        let Some(place) = find_place(states.of(side), ended) else {
            continue;
        };
        if let Some((_, lanes)) = occupants.iter_mut().find(|(p, _)| *p == place) {
            lanes.push(side);
        }
    }
    occupants
}

/// The figure's edge for a transition, if it draws one (a move into CLOSED ends in the
/// bottom box, which the figure's CLOSE edges into the top one do not).
fn find_edge(from: TcpState, to: TcpState, to_end: bool) -> Option<&'static Edge> {
    EDGES
        .iter()
        .find(|e| e.from == from && e.to == to && e.to_end == to_end)
}

/// Screen geometry of the figure inside a rectangle.
struct Grid {
    rect: Rect,
    cell: egui::Vec2,
    box_size: egui::Vec2,
}

impl Grid {
    fn new(rect: Rect) -> Grid {
        let cell = vec2(rect.width() / 3.0, rect.height() / ROWS);
        // The boxes, and the text in them, grow with the panel (a projector's big step
        // panel gets big text); names too wide for a box are shrunk where they are drawn.
        let box_size = vec2((cell.x - 12.0).max(40.0), (cell.y * 0.62).clamp(20.0, 64.0));
        Grid {
            rect,
            cell,
            box_size,
        }
    }

    /// Text size in the boxes: grows with the diagram.
    fn text_size(&self) -> f32 {
        (self.box_size.y * 0.56).clamp(10.0, 32.0)
    }

    fn centre(&self, (col, row): (f32, f32)) -> Pos2 {
        pos2(
            self.rect.left() + (col + 0.5) * self.cell.x,
            self.rect.top() + (row + 0.5) * self.cell.y,
        )
    }

    fn box_rect(&self, place: &Place) -> Rect {
        Rect::from_center_size(self.centre((place.col, place.row)), self.box_size)
    }
}

/// The point where the ray from `rect`'s centre towards `toward` leaves it.
fn border_point(rect: Rect, toward: Pos2) -> Pos2 {
    let centre = rect.center();
    let d = toward - centre;
    let half = rect.size() / 2.0;
    let tx = if d.x.abs() > f32::EPSILON {
        half.x / d.x.abs()
    } else {
        f32::INFINITY
    };
    let ty = if d.y.abs() > f32::EPSILON {
        half.y / d.y.abs()
    } else {
        f32::INFINITY
    };
    let t = tx.min(ty);
    if t.is_finite() {
        centre + d * t
    } else {
        centre
    }
}

/// The diagram, as wide as the space it is given.
pub fn state_diagram_ui(ui: &mut Ui, ladder: &Ladder, states: &LaneStates) {
    let palette = Palette::of(ui);
    // As tall as the space left (the panel decides), never taller than it is wide.
    let width = ui.available_width().max(200.0);
    let height = (ui.available_height() - 4.0)
        .min(width * 1.05)
        .max(ROWS * 18.0);
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let grid = Grid::new(rect.shrink2(vec2(2.0, 4.0)));
    let painter = ui.painter_at(rect);

    // Which lanes sit in which box.
    let occupants = occupants(states);

    // The figure's arrows, thin.
    let thin = Stroke::new(1.2, palette.weak_text.gamma_multiply(0.8));
    for edge in &EDGES {
        if let Some(points) = edge_points(&grid, (edge.from, edge.to, edge.to_end), edge.via, 0.0) {
            paint_path(&painter, &points, thin, false);
        }
    }
    // The title, in the figure's empty bottom-left cell.
    let title_rect = Rect::from_min_size(
        pos2(grid.rect.left(), grid.rect.top() + 6.0 * grid.cell.y),
        grid.cell * vec2(1.0, 1.0),
    );
    let title = painter.layout(
        super::ui_texts(ui.ctx()).sd_title.to_string(),
        style::bold(grid.text_size()),
        palette.weak_text,
        title_rect.width() - 4.0,
    );
    painter.galley(
        pos2(title_rect.left(), title_rect.bottom() - title.size().y),
        title,
        palette.weak_text,
    );
    // The states.
    for (place, lanes) in &occupants {
        state_box_ui(ui, &painter, &grid, place, lanes, ladder, &palette);
    }
    // What the newest packet did, thick, with its cause on a label that covers no box.
    let mut labels = Labels::new(&grid);
    for (side, transition) in &states.newest {
        let colour = palette.direction(*side);
        let to_end = transition.to == TcpState::Closed;
        let figure = find_edge(transition.from, transition.to, to_end);
        let via = figure.map(|e| e.via).unwrap_or(&[]);
        // The state it left, outlined in the lane's colour: short arrows between
        // neighbouring rows still read as "from here".
        if let Some(left) = find_place(transition.from, false) {
            painter.rect_stroke(
                grid.box_rect(left).expand(1.0),
                6.0,
                Stroke::new(2.0, colour),
                StrokeKind::Outside,
            );
        }
        let Some(points) = edge_points(&grid, (transition.from, transition.to, to_end), via, RINGS)
        else {
            continue;
        };
        paint_path(
            &painter,
            &points,
            Stroke::new(3.5, colour),
            figure.is_none(),
        );
        let mut text = format!(
            "{}: {}",
            ladder.lane(*side).role,
            super::lang(ui.ctx()).texts().cause(transition.cause)
        );
        // One segment that takes two steps at once (a FIN+ACK in FIN-WAIT-1: FIN-WAIT-2,
        // then TIME-WAIT) says so on each step.
        let mine: Vec<_> = states.newest.iter().filter(|(s, _)| s == side).collect();
        if mine.len() > 1 {
            let k = mine
                .iter()
                .position(|(_, t)| t == transition)
                .map_or(1, |i| i + 1);
            text.push_str(&crate::i18n::UiTexts::fill(
                super::ui_texts(ui.ctx()).sd_steps_at_once,
                &[&k.to_string(), &mine.len().to_string()],
            ));
        }
        let font = style::bold(grid.text_size() * 0.95);
        labels.paint(&painter, &points, (&text, font), colour, &palette);
    }
}

/// The arrow's points from box to box, through its bends; it stops `clearance` short of
/// the box it enters (outside the rings of a current state).
fn edge_points(
    grid: &Grid,
    (from, to, to_end): (TcpState, TcpState, bool),
    via: &[(f32, f32)],
    clearance: f32,
) -> Option<Vec<Pos2>> {
    let start = grid.box_rect(find_place(from, false)?);
    let end = grid.box_rect(find_place(to, to_end)?).expand(clearance);
    let bends: Vec<Pos2> = via.iter().map(|&cell| grid.centre(cell)).collect();
    let first_towards = bends.first().copied().unwrap_or(end.center());
    let last_from = bends.last().copied().unwrap_or(start.center());
    let mut points = vec![border_point(start, first_towards)];
    points.extend(bends);
    points.push(border_point(end, last_from));
    Some(points)
}

fn paint_path(painter: &egui::Painter, points: &[Pos2], stroke: Stroke, dashed: bool) {
    let (Some(&tip), Some(&before)) = (points.last(), points.iter().rev().nth(1)) else {
        return;
    };
    let dir = (tip - before).normalized();
    let head = 7.0 + stroke.width * 1.5;
    let base = tip - dir * head;
    let mut line: Vec<Pos2> = points.to_vec();
    if let Some(last) = line.last_mut() {
        *last = base;
    }
    if dashed {
        painter.add(Shape::dashed_line(&line, stroke, 6.0, 4.0));
    } else {
        painter.add(Shape::line(line, stroke));
    }
    let normal = vec2(-dir.y, dir.x) * (head * 0.45);
    painter.add(Shape::convex_polygon(
        vec![tip, base + normal, base - normal],
        stroke.color,
        Stroke::NONE,
    ));
}

/// Where the cause labels may go: not over a box or another label; when there is no room
/// beside the arrow (a small diagram), stacked in the figure's empty top-left corner.
struct Labels {
    taken: Vec<Rect>,
    corner: Rect,
    /// Top of the next label in the corner.
    corner_next: f32,
}

impl Labels {
    fn new(grid: &Grid) -> Labels {
        let corner = Rect::from_min_max(
            grid.rect.left_top(),
            pos2(
                grid.rect.left() + grid.cell.x - 4.0,
                grid.rect.top() + grid.cell.y * 1.9,
            ),
        );
        Labels {
            taken: PLACES
                .iter()
                .map(|p| grid.box_rect(p).expand(4.0))
                .collect(),
            corner,
            corner_next: corner.top(),
        }
    }

    /// Paint `text` on a backing beside the middle of the path's longest segment, or in
    /// the corner.
    fn paint(
        &mut self,
        painter: &egui::Painter,
        points: &[Pos2],
        (text, font): (&str, FontId),
        colour: Color32,
        palette: &Palette,
    ) {
        let Some((a, b)) = points
            .windows(2)
            .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
            .max_by(|(a, b), (c, d)| a.distance(*b).total_cmp(&c.distance(*d)))
        else {
            return;
        };
        let mid = a.lerp(b, 0.5);
        let clip = painter.clip_rect();
        let inside = |rect: Rect| {
            let shift = vec2(
                (clip.left() - rect.left()).max(0.0) + (clip.right() - rect.right()).min(0.0),
                (clip.top() - rect.top()).max(0.0) + (clip.bottom() - rect.bottom()).min(0.0),
            );
            rect.translate(shift)
        };
        let one_line = painter.layout_no_wrap(text.to_string(), font.clone(), colour);
        let size = one_line.size() + vec2(8.0, 4.0);
        let step = size.y * 0.75;
        let beside = [0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0]
            .map(|k| inside(Rect::from_center_size(mid + vec2(0.0, k * step), size)));
        let free = |r: &Rect| !self.taken.iter().any(|t| t.intersects(*r));
        let (rect, galley) = match beside.iter().copied().find(free) {
            Some(rect) => (rect, one_line),
            None => {
                let wrapped = corner_galley(painter, text, font, colour, self.corner.width() - 8.0);
                let rect = Rect::from_min_size(
                    pos2(self.corner.left(), self.corner_next),
                    wrapped.size() + vec2(8.0, 4.0),
                );
                self.corner_next = rect.bottom() + 4.0;
                (inside(rect), wrapped)
            }
        };
        let backing = if palette.dark {
            Color32::from_black_alpha(230)
        } else {
            Color32::from_white_alpha(240)
        };
        painter.rect_filled(rect, 4.0, backing);
        painter.rect_stroke(rect, 4.0, Stroke::new(1.5, colour), StrokeKind::Inside);
        painter.galley(rect.center() - galley.size() / 2.0, galley, colour);
        self.taken.push(rect);
    }
}

/// `text` laid out `width` wide. A word wider than that would be cut in two
/// ("acknowledge|d"): the text is made smaller until its widest word fits, down to 3/4 of
/// its size.
fn corner_galley(
    painter: &egui::Painter,
    text: &str,
    font: FontId,
    colour: Color32,
    width: f32,
) -> std::sync::Arc<egui::Galley> {
    let widest = words(text)
        .map(|w| painter.layout_no_wrap(w.to_string(), font.clone(), colour))
        .map(|g| g.size().x)
        .fold(0.0, f32::max);
    let font = if widest > width {
        // (A little to spare: the galley is laid out on whole pixels.)
        FontId::new(font.size * (0.97 * width / widest).max(0.75), font.family)
    } else {
        font
    };
    painter.layout(text.to_string(), font, colour, width)
}

/// The runs of a text that a line may not be broken inside: words between spaces, and
/// not across Chinese characters (a line may break before or after any of them).
fn words(text: &str) -> impl Iterator<Item = &str> {
    let breakable = |c: char| {
        c.is_whitespace()
            || matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
    };
    text.split(breakable).filter(|w| !w.is_empty())
}

fn state_box_ui(
    ui: &Ui,
    painter: &egui::Painter,
    grid: &Grid,
    place: &Place,
    lanes: &[LaneSide],
    ladder: &Ladder,
    palette: &Palette,
) {
    let rect = grid.box_rect(place);
    let current = !lanes.is_empty();
    let (state_fill, state_stroke, _) = palette.state(place.state);
    let fill = if current {
        state_fill
    } else {
        ui.visuals().extreme_bg_color
    };
    painter.rect_filled(rect, 5.0, fill);
    let outline = if current {
        Stroke::new(1.5, state_stroke)
    } else {
        Stroke::new(1.0, palette.weak_text.gamma_multiply(0.7))
    };
    painter.rect_stroke(rect, 5.0, outline, StrokeKind::Inside);
    for (i, side) in lanes.iter().enumerate() {
        let ring = rect.expand(2.0 + 3.5 * i as f32);
        painter.rect_stroke(
            ring,
            6.0 + 3.0 * i as f32,
            Stroke::new(3.0, palette.direction(*side)),
            StrokeKind::Outside,
        );
    }

    // The name, shrunk to fit its box.
    let name = place.state.rfc_name();
    let text_colour = if current {
        palette.text
    } else {
        palette.weak_text
    };
    let font = if current {
        style::bold(grid.text_size())
    } else {
        FontId::proportional(grid.text_size())
    };
    let mut galley = painter.layout_no_wrap(name.to_string(), font.clone(), text_colour);
    let room = rect.width() - 8.0;
    if galley.size().x > room {
        let size = (font.size * room / galley.size().x).max(7.0);
        galley = painter.layout_no_wrap(
            name.to_string(),
            FontId::new(size, font.family),
            text_colour,
        );
    }
    painter.galley(rect.center() - galley.size() / 2.0, galley, text_colour);

    // Role tags on the corners.
    for side in lanes {
        let role = &ladder.lane(*side).role;
        let tag = painter.layout_no_wrap(
            role.clone(),
            style::bold(grid.text_size() * 0.78),
            Color32::WHITE,
        );
        let size = tag.size() + vec2(8.0, 2.0);
        // The client's tag on the top left corner, the server's on the bottom right.
        let corner = match side {
            LaneSide::Left => pos2(rect.left() - 2.0, rect.top() - size.y * 0.7),
            LaneSide::Right => pos2(rect.right() + 2.0 - size.x, rect.bottom() - size.y * 0.3),
        };
        let tag_rect = Rect::from_min_size(corner, size);
        painter.rect_filled(tag_rect, 3.0, palette.direction(*side));
        painter.galley(tag_rect.center() - tag.size() / 2.0, tag, Color32::WHITE);
    }

    let lang = super::lang(ui.ctx());
    let w = lang.ui();
    let label = accessible_name(place, lanes, ladder, lang);
    let response = ui.interact(
        rect,
        Id::unique(("state diagram box", name, place.end)),
        Sense::hover(),
    );
    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &label));
    let leaves: Vec<String> = EDGES
        .iter()
        .filter(|e| e.from == place.state && !place.end)
        .map(|e| {
            let to = if e.to_end {
                w.sd_end.to_string()
            } else {
                lang.texts().state(e.to)
            };
            format!("→ {to}: {}", e.rfc)
        })
        .collect();
    let mut hover = label;
    if !leaves.is_empty() {
        hover.push_str(&format!("\n{}\n{}", w.sd_leaves_by, leaves.join("\n")));
    }
    response.on_hover_text(hover);
}

/// A lane's role inside a sentence: "server"; the letters A and B (roles unknown) are
/// names and keep their capitals.
fn role_in_sentence(role: &str) -> String {
    if role.chars().count() > 1 {
        role.to_lowercase()
    } else {
        role.to_string()
    }
}

/// "State CLOSE-WAIT, current for server".
fn accessible_name(place: &Place, lanes: &[LaneSide], ladder: &Ladder, lang: Lang) -> String {
    let w = lang.ui();
    let mut name = format!("{} {}", w.sd_state, lang.texts().state(place.state));
    if place.state == TcpState::Closed {
        name.push(' ');
        name.push_str(if place.end {
            w.sd_after_close
        } else {
            w.sd_before_open
        });
    }
    if !lanes.is_empty() {
        let roles: Vec<String> = lanes
            .iter()
            .map(|s| role_in_sentence(&ladder.lane(*s).role))
            .collect();
        name.push_str(&crate::i18n::UiTexts::fill(
            w.sd_current_for,
            &[&roles.join(w.sd_and)],
        ));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{LadderOptions, layout};

    /// A cause label stacked in the corner is never cut inside a word, in English or in
    /// Chinese (a line may break beside any Chinese character).
    #[test]
    fn a_corner_label_breaks_only_between_words() {
        let ctx = egui::Context::default();
        style::install_bundled(&ctx);
        let cases = [
            "SERVER: its SYN was acknowledged",
            "CLIENT: its FIN was acknowledged",
            "服务器：它的 SYN 被确认了",
        ];
        let mut checked = 0;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter();
            for text in cases {
                // The corner at 1280×720: 89 points for the text.
                let galley = corner_galley(painter, text, style::bold(11.6), Color32::BLACK, 89.0);
                let rows: Vec<String> = galley
                    .rows
                    .iter()
                    .map(|r| r.glyphs.iter().map(|g| g.chr).collect())
                    .collect();
                for (before, after) in rows.iter().zip(rows.iter().skip(1)) {
                    let (Some(end), Some(start)) =
                        (before.trim_end().chars().last(), after.chars().next())
                    else {
                        continue;
                    };
                    let joined = format!("{end}{start}");
                    assert!(
                        before.ends_with(char::is_whitespace) || words(&joined).count() != 1,
                        "{text:?} cut inside a word: {rows:?}"
                    );
                }
                checked += 1;
            }
        });
        output.textures_delta.clear();
        assert_eq!(checked, cases.len());
    }

    #[test]
    fn text_grows_with_the_panel() {
        // The step panel beside the ladder: about 340 points at a desk, and on a
        // 1080p projector at presentation zoom about 800 wide by 450 high.
        let desk = Grid::new(Rect::from_min_size(Pos2::ZERO, vec2(340.0, 300.0)));
        let projector = Grid::new(Rect::from_min_size(Pos2::ZERO, vec2(800.0, 650.0)));
        assert!(desk.text_size() >= 10.0, "{}", desk.text_size());
        assert!(
            projector.text_size() > 1.4 * desk.text_size(),
            "desk {} projector {}",
            desk.text_size(),
            projector.text_size()
        );
        assert!(projector.text_size() >= 24.0, "{}", projector.text_size());
    }

    fn ladder_of(file_name: &str) -> Ladder {
        let session = crate::session::load_sample(file_name);
        layout(&session, 0, &LadderOptions::default())
    }

    fn names_of_current(states: &LaneStates, ladder: &Ladder) -> Vec<String> {
        occupants(states)
            .into_iter()
            .filter(|(_, lanes)| !lanes.is_empty())
            .map(|(place, lanes)| accessible_name(place, &lanes, ladder, Lang::En))
            .collect()
    }

    #[test]
    fn every_state_has_one_box_and_closed_has_two() {
        for state in TcpState::ALL {
            let boxes = PLACES.iter().filter(|p| p.state == state).count();
            let expected = if state == TcpState::Closed { 2 } else { 1 };
            assert_eq!(boxes, expected, "{state}");
        }
        for edge in &EDGES {
            assert!(find_place(edge.from, false).is_some());
            assert!(find_place(edge.to, edge.to_end).is_some());
        }
    }

    #[test]
    fn the_figure_draws_exactly_the_twenty_edges_of_rfc_9293_figure_5() {
        use TcpState::*;
        // Read off RFC 9293 Figure 5 ("TCP Connection State Diagram"), arrow by arrow.
        let rfc: [(TcpState, TcpState); 20] = [
            (Closed, Listen),           // passive OPEN
            (Closed, SynSent),          // active OPEN / snd SYN
            (Listen, Closed),           // CLOSE / delete TCB
            (Listen, SynReceived),      // rcv SYN / snd SYN,ACK
            (Listen, SynSent),          // SEND / snd SYN
            (SynSent, Closed),          // CLOSE / delete TCB
            (SynSent, SynReceived),     // rcv SYN / snd SYN,ACK
            (SynSent, Established),     // rcv SYN,ACK / snd ACK
            (SynReceived, Listen),      // rcv RST (note 1: passive OPEN)
            (SynReceived, Established), // rcv ACK of SYN
            (SynReceived, FinWait1),    // CLOSE / snd FIN
            (Established, FinWait1),    // CLOSE / snd FIN
            (Established, CloseWait),   // rcv FIN / snd ACK
            (FinWait1, FinWait2),       // rcv ACK of FIN
            (FinWait1, Closing),        // rcv FIN / snd ACK
            (FinWait2, TimeWait),       // rcv FIN / snd ACK
            (Closing, TimeWait),        // rcv ACK of FIN
            (CloseWait, LastAck),       // CLOSE / snd FIN
            (LastAck, Closed),          // rcv ACK of FIN
            (TimeWait, Closed),         // Timeout=2MSL / delete TCB
        ];
        let drawn: Vec<(TcpState, TcpState)> = EDGES.iter().map(|e| (e.from, e.to)).collect();
        for pair in &rfc {
            assert!(drawn.contains(pair), "missing {} → {}", pair.0, pair.1);
        }
        for pair in &drawn {
            assert!(
                rfc.contains(pair),
                "not in the figure: {} → {}",
                pair.0,
                pair.1
            );
        }
        assert_eq!(drawn.len(), rfc.len(), "an edge drawn twice");
        // The CLOSE edges lead back to the CLOSED the connection started from; the end of
        // LAST-ACK and TIME-WAIT is the CLOSED after it.
        for e in &EDGES {
            if e.to == Closed {
                assert_eq!(e.to_end, matches!(e.from, LastAck | TimeWait), "{}", e.from);
            }
        }
    }

    #[test]
    fn a_reset_into_closed_is_not_mistaken_for_the_close_edge() {
        // SYN-SENT → CLOSED on a RST (refused) ends the connection: not the figure's
        // "CLOSE / delete TCB" back to the top box.
        assert!(find_edge(TcpState::SynSent, TcpState::Closed, true).is_none());
        assert!(find_edge(TcpState::SynSent, TcpState::Closed, false).is_some());
        assert!(find_edge(TcpState::SynReceived, TcpState::Listen, false).is_some());
    }

    #[test]
    fn a_finished_connection_ends_in_the_bottom_closed_box() {
        // The server closes first: it goes through FIN-WAIT to TIME-WAIT; the client
        // through CLOSE-WAIT and LAST-ACK to CLOSED.
        let ladder = ladder_of("seed-github.pcapng");
        let end = ladder.states_after(ladder.rows.len());
        let names = names_of_current(&end, &ladder);
        assert!(
            names.contains(&"State CLOSED (after the connection), current for client".to_string()),
            "{names:?}"
        );
        assert!(
            names.contains(&"State TIME-WAIT, current for server".to_string()),
            "{names:?}"
        );
        let start = ladder.states_after(0);
        assert!(
            names_of_current(&start, &ladder)
                .contains(&"State CLOSED (before the connection), current for client".to_string())
        );
    }

    #[test]
    fn every_transition_in_the_samples_can_be_drawn() {
        for sample in crate::samples::SAMPLES {
            let ladder = ladder_of(sample.file_name);
            for row in 0..=ladder.rows.len() {
                let states = ladder.states_after(row);
                for (_, t) in &states.newest {
                    let to_end = t.to == TcpState::Closed;
                    assert!(
                        find_place(t.from, false).is_some() && find_place(t.to, to_end).is_some(),
                        "{}: {} → {}",
                        sample.file_name,
                        t.from,
                        t.to
                    );
                }
            }
        }
    }
}
