//! A pathway's flow diagram, drawn at build time as inline SVG: no script, no
//! external tool, readable in print. The ordered list of steps stays the primary,
//! accessible form; the diagram is an image (no links inside) with a text
//! alternative of its own.
//!
//! Layout: each step sits in the row of its longest route from the first step, so
//! every arrow points down; rows are centred; branch labels (`when`) sit on the
//! arrow just above the step they lead to.

use std::fmt::Write;

use crate::html::escape_html as escape;
use crate::model::Pathway;

const BOX_WIDTH: u32 = 230;
const GAP_X: u32 = 30;
const GAP_Y: u32 = 56;
const LINE_HEIGHT: u32 = 18;
const PAD: u32 = 10;
/// Characters per line of a box's title, at the font size used.
const WRAP: usize = 26;
const MAX_LINES: usize = 4;

/// The words of a diagram's title and text alternative, in the page's
/// language (the theme's words `diagram_*`), each with its `{placeholders}`.
#[derive(Debug, Clone)]
pub struct Labels {
    /// `{title}`
    pub title: String,
    /// `{n}`
    pub step: String,
    /// `{when}`, `{n}`
    pub when_step: String,
    pub route_ends: String,
    /// `{routes}`
    pub leads_to: String,
    /// Between routes.
    pub or: String,
    /// `{n}`, `{title}`, `{route}`
    pub step_summary: String,
    /// Mirrored, for a language written right to left.
    pub rtl: bool,
}

impl Default for Labels {
    /// British English, as the default theme's words have them.
    fn default() -> Self {
        Labels {
            title: "Diagram of the pathway: {title}".into(),
            step: "step {n}".into(),
            when_step: "{when}, step {n}".into(),
            route_ends: "the route ends".into(),
            leads_to: "leads to {routes}".into(),
            or: "; or ".into(),
            step_summary: "Step {n}, {title}: {route}.".into(),
            rtl: false,
        }
    }
}

fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut text = pattern.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// The SVG for a pathway, or an empty string for a pathway of one step.
pub fn pathway_svg(pathway: &Pathway, labels: &Labels) -> String {
    let n = pathway.steps.len();
    if n < 2 {
        return String::new();
    }
    let next: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            pathway
                .next_of(i)
                .iter()
                .filter_map(|id| pathway.steps.iter().position(|s| s.id.value == id.value))
                .collect()
        })
        .collect();
    let rows = layer_rows(&next);
    let lines: Vec<Vec<String>> = pathway
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| wrap(&format!("{}. {}", i + 1, s.title), WRAP, MAX_LINES))
        .collect();

    // Row heights and each box's position.
    let row_height: Vec<u32> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&i| box_height(lines[i].len()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let width = widest * BOX_WIDTH + (widest - 1) * GAP_X + 2 * PAD;
    let mut pos = vec![(0u32, 0u32); n];
    let mut y = PAD;
    for (r, row) in rows.iter().enumerate() {
        let row_width = row.len() as u32 * BOX_WIDTH + (row.len() as u32 - 1) * GAP_X;
        let mut x = (width - row_width) / 2;
        for &i in row {
            pos[i] = (x, y);
            x += BOX_WIDTH + GAP_X;
        }
        y += row_height[r] + GAP_Y;
    }
    if labels.rtl {
        // Read from the right: the first of a row on the right.
        for p in &mut pos {
            p.0 = width - p.0 - BOX_WIDTH;
        }
    }
    let height = y - GAP_Y + PAD;

    let mut svg = String::new();
    let title_id = format!("diagram-{}", pathway.slug);
    let _ = write!(
        svg,
        r##"<svg class="pathway-diagram" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{title_id}-title {title_id}-desc"{direction} xmlns="http://www.w3.org/2000/svg"><title id="{title_id}-title">{title}</title><desc id="{title_id}-desc">{desc}</desc><defs><marker id="{title_id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#0b0c0c"/></marker></defs>"##,
        title = escape(&fill(&labels.title, &[("title", &pathway.title)])),
        desc = escape(&describe(pathway, &next, labels)),
        direction = if labels.rtl {
            r#" direction="rtl""#
        } else {
            ""
        },
    );
    // Arrows first, so boxes and labels are drawn over them.
    let mut labels = String::new();
    for (i, targets) in next.iter().enumerate() {
        let (x1, y1) = (
            pos[i].0 + BOX_WIDTH / 2,
            pos[i].1 + box_height(lines[i].len()),
        );
        for &j in targets {
            let (x2, y2) = (pos[j].0 + BOX_WIDTH / 2, pos[j].1);
            let mid = (y1 + y2) / 2;
            let _ = write!(
                svg,
                r##"<path d="M{x1} {y1}C{x1} {mid} {x2} {mid} {x2} {y2}" fill="none" stroke="#0b0c0c" stroke-width="2" marker-end="url(#{title_id}-arrow)"/>"##
            );
            if let Some(when) = pathway.steps[j].when.as_deref().filter(|w| !w.is_empty()) {
                let text = wrap(when, WRAP + 4, 2);
                let label_width =
                    text.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32 * 7 + 10;
                let label_height = text.len() as u32 * 15 + 6;
                let (lx, ly) = (
                    x2.saturating_sub(label_width / 2),
                    y2.saturating_sub(label_height + 6),
                );
                let _ = write!(
                    labels,
                    r##"<rect x="{lx}" y="{ly}" width="{label_width}" height="{label_height}" rx="3" fill="#ffffff" stroke="#505a5f"/>"##
                );
                for (k, line) in text.iter().enumerate() {
                    let _ = write!(
                        labels,
                        r##"<text x="{x2}" y="{}" text-anchor="middle" font-size="12" font-style="italic" fill="#0b0c0c">{}</text>"##,
                        ly + 15 + k as u32 * 15,
                        escape(line)
                    );
                }
            }
        }
    }
    for i in 0..pathway.steps.len() {
        let (x, y) = pos[i];
        let h = box_height(lines[i].len());
        let end = next[i].is_empty();
        let _ = write!(
            svg,
            r##"<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{h}" rx="6" fill="{fill}" stroke="#0b0c0c" stroke-width="{sw}"/>"##,
            fill = if end { "#f3f2f1" } else { "#ffffff" },
            sw = if end { 3 } else { 2 },
        );
        for (k, line) in lines[i].iter().enumerate() {
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#0b0c0c"{}>{}</text>"##,
                x + BOX_WIDTH / 2,
                y + PAD + 13 + k as u32 * LINE_HEIGHT,
                if k == 0 { r#" font-weight="bold""# } else { "" },
                escape(line)
            );
        }
    }
    svg.push_str(&labels);
    svg.push_str("</svg>");
    svg
}

fn box_height(lines: usize) -> u32 {
    lines as u32 * LINE_HEIGHT + 2 * PAD
}

/// Rows of step indices: each step in the row of its longest route from step 0.
fn layer_rows(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = next.len();
    // Kahn's topological order over the (acyclic, validated) graph.
    let mut incoming = vec![0usize; n];
    for targets in next {
        for &j in targets {
            incoming[j] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| incoming[i] == 0).collect();
    let mut depth = vec![0usize; n];
    while let Some(i) = ready.pop() {
        for &j in &next[i] {
            depth[j] = depth[j].max(depth[i] + 1);
            incoming[j] -= 1;
            if incoming[j] == 0 {
                ready.push(j);
            }
        }
    }
    let rows = depth.iter().max().map_or(0, |d| d + 1);
    let mut out = vec![Vec::new(); rows];
    for (i, d) in depth.iter().enumerate() {
        out[*d].push(i);
    }
    out
}

/// The diagram's text alternative: every step and where it leads.
fn describe(pathway: &Pathway, next: &[Vec<usize>], labels: &Labels) -> String {
    let mut parts = Vec::new();
    for (i, step) in pathway.steps.iter().enumerate() {
        let onward: Vec<String> = next[i]
            .iter()
            .map(|&j| {
                let n = (j + 1).to_string();
                match pathway.steps[j].when.as_deref().filter(|w| !w.is_empty()) {
                    Some(when) => fill(&labels.when_step, &[("when", when), ("n", &n)]),
                    None => fill(&labels.step, &[("n", &n)]),
                }
            })
            .collect();
        let route = if onward.is_empty() {
            labels.route_ends.clone()
        } else {
            fill(&labels.leads_to, &[("routes", &onward.join(&labels.or))])
        };
        let n = (i + 1).to_string();
        parts.push(fill(
            &labels.step_summary,
            &[("n", &n), ("title", &step.title), ("route", &route)],
        ));
    }
    parts.join(" ")
}

/// Greedy word wrap to `width` characters, at most `max` lines (the last ends in …).
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        // A word longer than a line is cut, so a long URL cannot widen the box.
        let word: String = if word.chars().count() > width {
            word.chars().take(width - 1).chain(['…']).collect()
        } else {
            word.to_owned()
        };
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{}…", keep.trim_end());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pos;
    use crate::fields::Spanned;
    use crate::model::{Markdown, PathwayArea, Step};

    fn step(id: &str, title: &str, next: Option<&[&str]>, when: Option<&str>) -> Step {
        Step {
            id: Spanned::new(id.into(), Pos::default()),
            title: title.into(),
            text: Markdown::default(),
            services: Vec::new(),
            next: next.map(|n| {
                n.iter()
                    .map(|s| Spanned::new((*s).to_owned(), Pos::default()))
                    .collect()
            }),
            when: when.map(str::to_owned),
        }
    }

    fn pathway(steps: Vec<Step>) -> Pathway {
        Pathway {
            slug: "p".into(),
            file: "p.md".into(),
            title: "Ask & act".into(),
            area: PathwayArea::All,
            needs: Vec::new(),
            audience: None,
            summary: None,
            steps,
            last_reviewed: None,
            body: Markdown::default(),
        }
    }

    #[test]
    fn draws_branches_with_labels_and_a_text_alternative() {
        let p = pathway(vec![
            step("ask", "Ask <routinely>", Some(&["high", "low"]), None),
            step(
                "high",
                "Refer to MARAC",
                Some(&[]),
                Some("If she is at high risk"),
            ),
            step("low", "Local support", None, Some("Otherwise")),
        ]);
        let svg = pathway_svg(&p, &Labels::default());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("marker-end=").count(), 2, "two arrows");
        assert!(svg.contains(">If she is at high risk</text>"));
        assert!(svg.contains("Ask &lt;routinely&gt;"), "text is escaped");
        assert!(svg.contains(
            "<title id=\"diagram-p-title\">Diagram of the pathway: Ask &amp; act</title>"
        ));
        assert!(svg.contains("Step 1, Ask &lt;routinely&gt;: leads to If she is at high risk, step 2; or Otherwise, step 3."));
        assert!(svg.contains("Step 2, Refer to MARAC: the route ends."));
        assert!(
            !svg.contains("<a "),
            "an image holds no links (axe: nested-interactive)"
        );
        assert!(
            !svg.contains(" style=") && !svg.contains("<style"),
            "no inline style (the CSP forbids it)"
        );
    }

    #[test]
    fn the_diagram_speaks_the_page_s_language_and_mirrors_for_rtl() {
        let p = pathway(vec![
            step("ask", "Gofyn", Some(&["high", "low"]), None),
            step("high", "MARAC", Some(&[]), Some("Risg uchel")),
            step("low", "Lleol", None, None),
        ]);
        let welsh = Labels {
            title: "Diagram o'r llwybr: {title}".into(),
            step: "cam {n}".into(),
            when_step: "{when}, cam {n}".into(),
            route_ends: "mae'r llwybr yn dod i ben".into(),
            leads_to: "yn arwain at {routes}".into(),
            or: "; neu ".into(),
            step_summary: "Cam {n}, {title}: {route}.".into(),
            rtl: false,
        };
        let svg = pathway_svg(&p, &welsh);
        assert!(
            svg.contains("Cam 1, Gofyn: yn arwain at Risg uchel, cam 2; neu cam 3."),
            "{svg}"
        );
        assert!(
            svg.contains("Cam 2, MARAC: mae&#39;r llwybr yn dod i ben.")
                || svg.contains("Cam 2, MARAC: mae&#x27;r llwybr yn dod i ben."),
            "{svg}"
        );
        assert!(!svg.contains("direction="));
        // Right to left: the row of two reads from the right, so step 2's box
        // is on the right, not the left.
        let x_of = |svg: &str, text: &str| -> u32 {
            let at = svg.find(&format!(">{text}</text>")).unwrap();
            let rect = svg[..at].rfind("<rect x=\"").unwrap() + 9;
            svg[rect..].split('"').next().unwrap().parse().unwrap()
        };
        let ltr = pathway_svg(&p, &Labels::default());
        let rtl = pathway_svg(
            &p,
            &Labels {
                rtl: true,
                ..Labels::default()
            },
        );
        assert!(rtl.contains(r#" direction="rtl""#));
        assert!(x_of(&ltr, "2. MARAC") < x_of(&ltr, "3. Lleol"));
        assert!(x_of(&rtl, "2. MARAC") > x_of(&rtl, "3. Lleol"));
    }

    #[test]
    fn rows_follow_the_longest_route() {
        // 0 → 1 → 2, and 0 → 2 directly: step 2 sits below step 1.
        assert_eq!(
            layer_rows(&[vec![1, 2], vec![2], vec![]]),
            vec![vec![0], vec![1], vec![2]]
        );
        assert_eq!(
            layer_rows(&[vec![1, 2], vec![], vec![]]),
            vec![vec![0], vec![1, 2]]
        );
    }

    #[test]
    fn wraps_and_truncates() {
        assert_eq!(wrap("one two three", 7, 3), ["one two", "three"]);
        assert_eq!(wrap("one two three four", 8, 2), ["one two", "three…"]);
        assert_eq!(
            wrap("https://a-very-long-address.example", 10, 2),
            ["https://a…"]
        );
    }

    #[test]
    fn a_single_step_has_no_diagram() {
        assert_eq!(
            pathway_svg(
                &pathway(vec![step("a", "Only", None, None)]),
                &Labels::default()
            ),
            ""
        );
    }
}
