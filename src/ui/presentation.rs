//! Presentation mode: the ladder for a projector in a lecture hall. Entering it saves the
//! egui styles and puts in a high-contrast light theme made for projectors (pure white
//! panels, near-black text, darker outlines, saturated arrow colours: see
//! [`PROJECTOR_PALETTE`]), zooms the whole interface so that the window is about 540
//! points high whatever the projector's resolution (body text a 36th of the picture's
//! height, the step panel's text a 27th), and makes the window full screen. Leaving
//! restores all three.
//!
//! The canvas finds the projector theme through [`is_projector`] (its white panel fill),
//! so [`super::style::Palette::of`] stays the one place colours are chosen.

use super::settings::ThemeChoice;
use super::style::Palette;
use egui::{Color32, Stroke, Style, Visuals};
use std::sync::Arc;

/// Lowest zoom in presentation mode (a 1280×720 projector).
pub const MIN_ZOOM: f32 = 1.6;

/// The interface is zoomed until the window is at most this many points high, so text
/// keeps its share of the projected picture whatever the projector's resolution.
const POINTS_HIGH: f32 = 540.0;

/// How much thicker arrows and lifelines are drawn.
pub const EMPHASIS: f32 = 1.7;

/// Text on the projector.
const INK: Color32 = Color32::from_gray(12);

/// The ladder's colours on a projector: the light palette with black text and deeper,
/// more saturated arrow colours that survive a washed-out picture.
pub const PROJECTOR_PALETTE: Palette = Palette {
    dark: false,
    text: INK,
    weak_text: Color32::from_gray(55),
    client_to_server: Color32::from_rgb(0, 72, 230),
    server_to_client: Color32::from_rgb(215, 55, 0),
    lifeline: Color32::from_gray(40),
    selection_fill: Color32::from_rgba_premultiplied(0, 14, 45, 50),
    selection_stroke: Color32::from_rgb(0, 72, 230),
    hover_fill: Color32::from_rgba_premultiplied(0, 0, 0, 10),
    warning: Color32::from_rgb(150, 80, 0),
    error: Color32::from_rgb(200, 0, 0),
    mark: Color32::from_rgb(200, 0, 60),
};

/// The projector theme is the only one with pure white panels.
pub fn is_projector(visuals: &Visuals) -> bool {
    !visuals.dark_mode && visuals.panel_fill == Color32::WHITE
}

/// egui's light visuals, made for a projector.
pub fn projector_visuals() -> Visuals {
    let mut v = Visuals::light();
    v.panel_fill = Color32::WHITE;
    v.window_fill = Color32::WHITE;
    v.extreme_bg_color = Color32::WHITE;
    v.faint_bg_color = Color32::from_gray(238);
    v.override_text_color = Some(INK);
    v.weak_text_color = Some(Color32::from_gray(55));
    v.window_stroke = Stroke::new(1.5, Color32::from_gray(60));
    v.hyperlink_color = Color32::from_rgb(0, 72, 230);
    v.warn_fg_color = Color32::from_rgb(150, 80, 0);
    v.error_fg_color = Color32::from_rgb(200, 0, 0);
    v.selection.bg_fill = Color32::from_rgb(160, 200, 255);
    v.selection.stroke = Stroke::new(1.5, INK);
    let widgets = &mut v.widgets;
    widgets.noninteractive.bg_stroke = Stroke::new(1.5, Color32::from_gray(110));
    widgets.noninteractive.fg_stroke = Stroke::new(1.0, INK);
    for w in [
        &mut widgets.inactive,
        &mut widgets.hovered,
        &mut widgets.active,
        &mut widgets.open,
    ] {
        w.fg_stroke = Stroke::new(1.5, INK);
    }
    widgets.inactive.bg_stroke = Stroke::new(1.0, Color32::from_gray(120));
    widgets.inactive.weak_bg_fill = Color32::from_gray(232);
    widgets.inactive.bg_fill = Color32::from_gray(232);
    v
}

/// What presentation mode changed, to undo on leaving.
#[derive(Clone, Debug)]
pub struct Presentation {
    light: Arc<Style>,
    dark: Arc<Style>,
    /// Presentation made the window full screen; leaving makes it a window again.
    made_fullscreen: bool,
}

impl Presentation {
    /// Put in the projector theme, zoom to `zoom` and go full screen.
    pub fn enter(ctx: &egui::Context, zoom: f32) -> Presentation {
        let saved = Presentation {
            light: ctx.style_of(egui::Theme::Light),
            dark: ctx.style_of(egui::Theme::Dark),
            made_fullscreen: !is_fullscreen(ctx),
        };
        for theme in [egui::Theme::Light, egui::Theme::Dark] {
            ctx.style_mut_of(theme, |style| style.visuals = projector_visuals());
        }
        ctx.set_theme(egui::Theme::Light);
        ctx.set_zoom_factor(zoom);
        if saved.made_fullscreen {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
        saved
    }

    /// Put back the styles, `theme`, the zoom of the normal view and the window.
    pub fn leave(self, ctx: &egui::Context, theme: ThemeChoice, zoom: f32) {
        ctx.set_style_of(egui::Theme::Light, self.light);
        ctx.set_style_of(egui::Theme::Dark, self.dark);
        ctx.set_theme(theme.egui_theme());
        ctx.set_zoom_factor(zoom);
        if self.made_fullscreen && is_fullscreen(ctx) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
    }
}

pub fn is_fullscreen(ctx: &egui::Context) -> bool {
    ctx.input(|i| i.viewport().fullscreen).unwrap_or(false)
}

/// The zoom that makes the window `POINTS_HIGH` (540) points high, at least [`MIN_ZOOM`].
pub fn auto_zoom(ctx: &egui::Context) -> f32 {
    let native = ctx.input(|i| i.viewport().native_pixels_per_point.unwrap_or(1.0));
    let pixels_high = ctx.content_rect().height() * ctx.pixels_per_point();
    (pixels_high / native.max(0.5) / POINTS_HIGH).clamp(MIN_ZOOM, 3.0)
}
