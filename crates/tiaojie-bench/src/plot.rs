//! The growth plot: figures against the number of events, log-log, as a PNG
//! beside `BENCHMARKS.md`.

use plotters::prelude::*;
use plotters::style::FontStyle;

/// One line of a panel.
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// One panel: a title, the y axis's name, its lines.
pub struct Panel {
    pub title: String,
    pub y_desc: String,
    pub series: Vec<Series>,
}

/// Fonts the plot's text can be drawn with, first found wins (the labels are
/// ASCII, so any of them will do).
const FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

fn load_font() -> Result<(), String> {
    for path in FONTS {
        if let Ok(bytes) = std::fs::read(path) {
            // The plot is drawn once per run: the font lives as long as it.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                return Ok(());
            }
        }
    }
    Err(format!(
        "no font for the plot's text: install fonts-dejavu-core (looked for {})",
        FONTS.join(", ")
    ))
}

const COLORS: &[RGBColor] = &[
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(0, 0, 0),
];

/// The range a log axis needs to show `values`, widened to whole decades.
fn decades(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values
        .filter(|v| *v > 0.0 && v.is_finite())
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return 1.0..10.0;
    }
    // 1,000,001 events ends at the decade of a million, not ten million.
    let top = (hi.log10() - 1e-3).ceil().max(lo.log10().floor() + 1.0);
    10f64.powf(lo.log10().floor())..10f64.powf(top)
}

fn label(v: f64) -> String {
    match v {
        v if v >= 1e6 => format!("{}M", v / 1e6),
        v if v >= 1e3 => format!("{}k", v / 1e3),
        v if v >= 1.0 => format!("{v}"),
        v => format!("{v:.2}"),
    }
}

/// Draws the panels side by side into a PNG at `path`.
pub fn draw(path: &std::path::Path, panels: &[Panel]) -> Result<(), String> {
    load_font()?;
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let width = 720 * panels.len().max(1) as u32;
    let root = BitMapBackend::new(path, (width, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let areas = root.split_evenly((1, panels.len().max(1)));
    for (panel, area) in panels.iter().zip(areas) {
        let xs = decades(
            panel
                .series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.0)),
        );
        let ys = decades(
            panel
                .series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.1)),
        );
        let mut chart = ChartBuilder::on(&area)
            .caption(&panel.title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(xs.log_scale(), ys.log_scale())
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .x_desc("events in the store")
            .y_desc(panel.y_desc.as_str())
            .x_label_formatter(&|v| label(*v))
            .y_label_formatter(&|v| label(*v))
            .draw()
            .map_err(|x| e(&x))?;
        for (i, s) in panel.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(LineSeries::new(s.points.clone(), color.stroke_width(2)))
                .map_err(|x| e(&x))?
                .label(s.name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart
                .draw_series(s.points.iter().map(|&p| Circle::new(p, 4, color.filled())))
                .map_err(|x| e(&x))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(|x| e(&x))?;
    }
    root.present().map_err(|x| e(&x))?;
    Ok(())
}
