//! How the app looks: fonts (a bundled DejaVu Sans subset, regular and bold, so the ladder
//! reads well on a projector and every arrow and dash in the labels has a glyph), text
//! sizes (body 15 pt), and the colours the canvas and panels share: one colour per
//! direction of travel, one fill per kind of TCP state, one tint per phase band.
//! Nothing here knows about sessions; [`Palette::of`] only reads the egui visuals.

use crate::flow::TcpState;
use crate::ladder::{LaneSide, Mark, MarkGroup, Phase};
use egui::{Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};
use std::sync::Arc;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold-subset.ttf");
/// Noto Sans CJK SC cut down to the characters of our sources: the last fallback, so
/// Chinese never shows as boxes even without a CJK font on the machine.
const CJK_SUBSET: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-subset.otf");
/// Its bold face, so a bold title is bold in both scripts.
const CJK_BOLD_SUBSET: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Bold-subset.otf");

/// Installed CJK fonts tried at start-up, best first: (path, index in a collection).
const SYSTEM_CJK_FONTS: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        2,
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    (
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        0,
    ),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
    ("C:\\Windows\\Fonts\\simsun.ttc", 0),
];

/// The first installed CJK font, if any (never in tests, which must not depend on the
/// machine's fonts).
fn system_cjk_font() -> Option<FontData> {
    if cfg!(test) || std::env::var_os("TCP_LADDER_NO_SYSTEM_FONTS").is_some() {
        return None;
    }
    // Read once per process: every context (window, test harness) shares the bytes.
    static FOUND: std::sync::OnceLock<Option<(Vec<u8>, u32)>> = std::sync::OnceLock::new();
    let (bytes, index) = FOUND
        .get_or_init(|| {
            SYSTEM_CJK_FONTS
                .iter()
                .find_map(|&(path, index)| Some((std::fs::read(path).ok()?, index)))
        })
        .as_ref()?;
    let mut font = FontData::from_static(bytes);
    font.index = *index;
    Some(font)
}

/// The bundled bold CJK face's name among the fonts.
pub const CJK_BOLD: &str = "NotoSansSC-Bold-subset";

/// The family name of the bold face (egui's default fonts have no bold).
pub const BOLD_FAMILY: &str = "bold";

/// Body text size in points (legible from the back of a classroom).
pub const BODY_SIZE: f32 = 15.0;

/// Install the fonts and text sizes. Call once per context, before the first frame.
pub fn install(ctx: &egui::Context) {
    install_with(ctx, system_cjk_font());
}

/// Install the fonts and text sizes using only the bundled fonts (tests: the same glyphs
/// on every machine).
pub fn install_bundled(ctx: &egui::Context) {
    install_with(ctx, None);
}

fn install_with(ctx: &egui::Context, system_cjk: Option<FontData>) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "DejaVuSans".into(),
        Arc::new(FontData::from_static(REGULAR)),
    );
    fonts.font_data.insert(
        "DejaVuSans-Bold".into(),
        Arc::new(FontData::from_static(BOLD)),
    );
    // DejaVu first for weight and coverage; egui's own fonts stay as fallbacks.
    if let Some(proportional) = fonts.families.get_mut(&FontFamily::Proportional) {
        proportional.insert(0, "DejaVuSans".into());
    }
    if let Some(monospace) = fonts.families.get_mut(&FontFamily::Monospace) {
        monospace.push("DejaVuSans".into());
    }
    // Chinese: an installed CJK font if there is one (complete, hinted for the screen),
    // then the bundled subset, after everything else so Latin text keeps its fonts.
    let mut cjk = Vec::new();
    if let Some(font) = system_cjk {
        fonts.font_data.insert("SystemCJK".into(), Arc::new(font));
        cjk.push("SystemCJK".to_string());
    }
    fonts.font_data.insert(
        "NotoSansSC-subset".into(),
        Arc::new(FontData::from_static(CJK_SUBSET)),
    );
    cjk.push("NotoSansSC-subset".to_string());
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        if let Some(list) = fonts.families.get_mut(&family) {
            list.extend(cjk.iter().cloned());
        }
    }
    // Bold: DejaVu Bold for Latin, then the bold CJK face, then the regular fallbacks
    // for anything neither has.
    fonts.font_data.insert(
        CJK_BOLD.into(),
        Arc::new(FontData::from_static(CJK_BOLD_SUBSET)),
    );
    let mut bold = vec!["DejaVuSans-Bold".to_string(), CJK_BOLD.to_string()];
    bold.extend(
        fonts
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    fonts
        .families
        .insert(FontFamily::Name(BOLD_FAMILY.into()), bold);
    ctx.set_fonts(fonts);

    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(12.5)),
            (TextStyle::Body, FontId::proportional(BODY_SIZE)),
            (TextStyle::Button, FontId::proportional(BODY_SIZE)),
            (TextStyle::Monospace, FontId::monospace(14.5)),
            (TextStyle::Heading, FontId::new(19.0, bold_family())),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.spacing.interact_size.y = 24.0;
    });
}

pub fn bold_family() -> FontFamily {
    FontFamily::Name(BOLD_FAMILY.into())
}

pub fn bold(size: f32) -> FontId {
    FontId::new(size, bold_family())
}

/// The colours of the ladder and the lists, for the current theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub dark: bool,
    pub text: Color32,
    pub weak_text: Color32,
    pub client_to_server: Color32,
    pub server_to_client: Color32,
    pub lifeline: Color32,
    pub selection_fill: Color32,
    pub selection_stroke: Color32,
    pub hover_fill: Color32,
    pub warning: Color32,
    pub error: Color32,
    pub mark: Color32,
}

impl Palette {
    pub fn of(ui: &egui::Ui) -> Palette {
        let visuals = ui.visuals();
        if super::presentation::is_projector(visuals) {
            return super::presentation::PROJECTOR_PALETTE;
        }
        if visuals.dark_mode {
            Palette {
                dark: true,
                text: Color32::from_gray(235),
                weak_text: Color32::from_gray(165),
                client_to_server: Color32::from_rgb(110, 168, 254),
                server_to_client: Color32::from_rgb(255, 154, 82),
                lifeline: Color32::from_gray(150),
                selection_fill: Color32::from_rgba_unmultiplied(90, 140, 230, 60),
                selection_stroke: Color32::from_rgb(120, 170, 255),
                hover_fill: Color32::from_rgba_unmultiplied(255, 255, 255, 14),
                warning: Color32::from_rgb(250, 204, 21),
                error: Color32::from_rgb(255, 120, 110),
                mark: Color32::from_rgb(255, 110, 110),
            }
        } else {
            Palette {
                dark: false,
                text: Color32::from_gray(20),
                weak_text: Color32::from_gray(85),
                client_to_server: Color32::from_rgb(20, 86, 200),
                server_to_client: Color32::from_rgb(194, 65, 12),
                lifeline: Color32::from_gray(90),
                selection_fill: Color32::from_rgba_unmultiplied(59, 130, 246, 40),
                selection_stroke: Color32::from_rgb(37, 99, 235),
                hover_fill: Color32::from_rgba_unmultiplied(0, 0, 0, 10),
                warning: Color32::from_rgb(146, 84, 0),
                error: Color32::from_rgb(185, 28, 28),
                mark: Color32::from_rgb(190, 18, 60),
            }
        }
    }

    /// The colour of an arrow leaving `from`.
    pub fn direction(&self, from: LaneSide) -> Color32 {
        match from {
            LaneSide::Left => self.client_to_server,
            LaneSide::Right => self.server_to_client,
        }
    }

    /// Fill, outline and text colour of a state box.
    pub fn state(&self, state: TcpState) -> (Color32, Color32, Color32) {
        let (light_fill, dark_fill, stroke) = match state {
            TcpState::Closed | TcpState::Listen => ((229, 231, 235), (55, 60, 68), (107, 114, 128)),
            TcpState::SynSent | TcpState::SynReceived => {
                ((219, 234, 254), (30, 58, 110), (29, 78, 216))
            }
            TcpState::Established => ((220, 252, 231), (20, 83, 45), (21, 128, 61)),
            // The active closer's path.
            TcpState::FinWait1 | TcpState::FinWait2 | TcpState::Closing | TcpState::TimeWait => {
                ((254, 243, 199), (100, 64, 8), (180, 83, 9))
            }
            // The passive closer's path.
            TcpState::CloseWait | TcpState::LastAck => {
                ((243, 232, 255), (70, 30, 100), (126, 34, 206))
            }
        };
        let rgb = |(r, g, b): (u8, u8, u8)| Color32::from_rgb(r, g, b);
        if self.dark {
            (rgb(dark_fill), brighten(rgb(stroke)), self.text)
        } else {
            (rgb(light_fill), rgb(stroke), self.text)
        }
    }

    /// Background tint and title colour of a phase band.
    pub fn band(&self, phase: Phase) -> (Color32, Color32) {
        let (r, g, b) = match phase {
            Phase::Open => (37, 99, 235),
            Phase::Data => (22, 163, 74),
            Phase::Close => (234, 88, 12),
        };
        let alpha = if self.dark { 34 } else { 20 };
        let tint = Color32::from_rgba_unmultiplied(r, g, b, alpha);
        let title = if self.dark {
            brighten(Color32::from_rgb(r, g, b))
        } else {
            Color32::from_rgb(r / 2, g / 2, b / 2)
        };
        (tint, title)
    }

    /// The colour of a group of analysis marks: the arrow, the badge and the mark's words.
    pub fn mark_colour(&self, group: MarkGroup) -> Color32 {
        let (light, dark_theme) = match group {
            MarkGroup::Lost => ((127, 29, 29), (252, 165, 165)),
            MarkGroup::Retransmission => ((220, 38, 38), (248, 90, 90)),
            MarkGroup::DuplicateAck => ((217, 140, 0), (251, 191, 36)),
            MarkGroup::ZeroWindow => ((126, 34, 206), (196, 148, 253)),
            MarkGroup::OutOfOrder => ((13, 128, 120), (45, 212, 191)),
            MarkGroup::Housekeeping => ((71, 95, 130), (148, 170, 200)),
        };
        let (r, g, b) = if self.dark { dark_theme } else { light };
        Color32::from_rgb(r, g, b)
    }

    /// The colour of one mark (a mark of no group, as the two-ended view adds: `mark`).
    pub fn mark_of(&self, mark: &Mark) -> Color32 {
        mark.group().map_or(self.mark, |g| self.mark_colour(g))
    }

    /// Text on a badge of a group's colour.
    pub fn mark_badge_text(&self, group: Option<MarkGroup>) -> Color32 {
        match (group, self.dark) {
            (Some(MarkGroup::DuplicateAck), _) | (_, true) => Color32::from_gray(15),
            _ => Color32::WHITE,
        }
    }
}

/// Half way to white: the dark theme's version of a saturated light-theme colour.
fn brighten(c: Color32) -> Color32 {
    let up = |v: u8| v / 2 + 128;
    Color32::from_rgb(up(c.r()), up(c.g()), up(c.b()))
}
