//! A pathway's flow diagram, drawn at build time as inline SVG: no script, no
//! external tool, readable in print. The ordered list of steps stays the primary,
//! accessible form; the diagram is an image (no links inside) with a text
//! alternative of its own.
//!
//! Two layouts of the same diagram, the theme showing the one that fits:
//! - wide (screens of 40em and more, and print): each step in the row of its
//!   longest route from the first step, so every arrow points down; rows centred;
//! - narrow (a phone), drawn only when some row holds more than one step: one
//!   column, top to bottom, in the same order; an arrow to the step just below
//!   goes straight down, any other runs down a lane on the right.
//!
//! A branch's label (`when`) is written in italics inside the box it leads to,
//! above the title, so no label sits on an arrow; titles are bold throughout.

use std::fmt::Write;

use crate::html::escape_html as escape;
use crate::model::Pathway;

const BOX_WIDTH: u32 = 230;
/// A box in the narrow layout: with its lanes, about a phone's width.
const NARROW_BOX_WIDTH: u32 = 260;
const GAP_X: u32 = 30;
const GAP_Y: u32 = 44;
const LINE_HEIGHT: u32 = 18;
const LABEL_LINE_HEIGHT: u32 = 15;
const PAD: u32 = 10;
/// Room for each lane of arrows beside the narrow column.
const LANE: u32 = 14;
/// Characters per line of a box's title, at the font size used.
const WRAP: usize = 24;
const LABEL_WRAP: usize = 30;
const MAX_LINES: usize = 4;
const INK: &str = "#0b0c0c";

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
    /// Mirrored, for a language written right to left: the wide layout's
    /// rows read from the right (the narrow layout is one column).
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

/// What a box holds: the branch label's lines and the title's.
struct BoxText {
    label: Vec<String>,
    title: Vec<String>,
}

impl BoxText {
    fn height(&self) -> u32 {
        let label = if self.label.is_empty() {
            0
        } else {
            self.label.len() as u32 * LABEL_LINE_HEIGHT + 4
        };
        label + self.title.len() as u32 * LINE_HEIGHT + 2 * PAD
    }
}

/// The SVG for a pathway (two, wide and narrow, when it branches side by
/// side), or an empty string for a pathway of one step.
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
    let text: Vec<BoxText> = pathway
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| BoxText {
            label: s
                .when
                .as_deref()
                .filter(|w| !w.is_empty())
                .map(|w| wrap(w, LABEL_WRAP, 2))
                .unwrap_or_default(),
            title: wrap(&format!("{}. {}", i + 1, s.title), WRAP, MAX_LINES),
        })
        .collect();
    let desc = describe(pathway, &next, labels);
    let column: Vec<usize> = rows.iter().flatten().copied().collect();
    // A pathway whose steps never stand side by side is one column at every
    // size; drawn in the narrow layout, an arrow that skips a step runs in a
    // lane beside it rather than through it.
    if rows.iter().all(|row| row.len() == 1) {
        return narrow(pathway, &next, &column, &text, &desc, "", labels);
    }
    let mut svg = wide(pathway, &next, &rows, &text, &desc, labels);
    svg.push_str(&narrow(
        pathway,
        &next,
        &column,
        &text,
        &desc,
        " pathway-diagram--narrow",
        labels,
    ));
    svg
}

/// The opening of an SVG: its class, size, title, description and arrowhead.
fn open_svg(
    svg: &mut String,
    pathway: &Pathway,
    id: &str,
    class: &str,
    size: (u32, u32),
    desc: &str,
    labels: &Labels,
) {
    let (width, height) = size;
    let _ = write!(
        svg,
        r##"<svg class="pathway-diagram{class}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc"{direction} xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc><defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{INK}"/></marker></defs>"##,
        title = escape(&fill(&labels.title, &[("title", &pathway.title)])),
        desc = escape(desc),
        direction = if labels.rtl {
            r#" direction="rtl""#
        } else {
            ""
        },
    );
}

/// A step's box at (x, y): its label in italics, then its title in bold.
fn draw_box(svg: &mut String, (x, y): (u32, u32), width: u32, text: &BoxText, end: bool) {
    let _ = write!(
        svg,
        r##"<rect x="{x}" y="{y}" width="{width}" height="{h}" rx="6" fill="{fill}" stroke="{INK}" stroke-width="{sw}"/>"##,
        h = text.height(),
        fill = if end { "#f3f2f1" } else { "#ffffff" },
        sw = if end { 3 } else { 2 },
    );
    let centre = x + width / 2;
    let mut baseline = y + PAD;
    for line in &text.label {
        baseline += LABEL_LINE_HEIGHT;
        let _ = write!(
            svg,
            r##"<text x="{centre}" y="{}" text-anchor="middle" font-size="12" font-style="italic" fill="{INK}">{}</text>"##,
            baseline - 3,
            escape(line)
        );
    }
    if !text.label.is_empty() {
        baseline += 4;
    }
    for line in &text.title {
        let _ = write!(
            svg,
            r##"<text x="{centre}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="{INK}">{}</text>"##,
            baseline + 13,
            escape(line)
        );
        baseline += LINE_HEIGHT;
    }
}

fn wide(
    pathway: &Pathway,
    next: &[Vec<usize>],
    rows: &[Vec<usize>],
    text: &[BoxText],
    desc: &str,
    labels: &Labels,
) -> String {
    let n = next.len();
    let row_height: Vec<u32> = rows
        .iter()
        .map(|row| row.iter().map(|&i| text[i].height()).max().unwrap_or(0))
        .collect();
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let width = widest * BOX_WIDTH + (widest - 1) * GAP_X + 2 * PAD;
    let mut pos = vec![(0u32, 0u32); n];
    let mut row_of = vec![0usize; n];
    let mut row_top = Vec::with_capacity(rows.len());
    let mut y = PAD;
    for (r, row) in rows.iter().enumerate() {
        let row_width = row.len() as u32 * BOX_WIDTH + (row.len() as u32).saturating_sub(1) * GAP_X;
        let mut x = (width - row_width) / 2;
        for &i in row {
            pos[i] = (x, y);
            row_of[i] = r;
            x += BOX_WIDTH + GAP_X;
        }
        row_top.push(y);
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
    let id = format!("diagram-{}", pathway.slug);
    let class = " pathway-diagram--wide";
    open_svg(&mut svg, pathway, &id, class, (width, height), desc, labels);
    // Arrows first, so boxes are drawn over their ends.
    for (i, targets) in next.iter().enumerate() {
        let (x1, y1) = (pos[i].0 + BOX_WIDTH / 2, pos[i].1 + text[i].height());
        for &j in targets {
            let (x2, y2) = (pos[j].0 + BOX_WIDTH / 2, pos[j].1);
            let (from, to) = (row_of[i], row_of[j]);
            let d = if to > from + 1 {
                // Past the rows between, down a gap none of their boxes is in.
                let free = |x: u32| {
                    rows[from + 1..to]
                        .iter()
                        .flatten()
                        .all(|&k| x + 6 < pos[k].0 || x > pos[k].0 + BOX_WIDTH + 6)
                };
                let mut gaps: Vec<u32> = rows[from + 1..to]
                    .iter()
                    .flat_map(|row| row.iter().map(|&k| pos[k].0.saturating_sub(GAP_X / 2)))
                    .chain(
                        rows[from + 1..to]
                            .iter()
                            .flatten()
                            .map(|&k| pos[k].0 + BOX_WIDTH + GAP_X / 2),
                    )
                    .chain([PAD / 2, width - PAD / 2])
                    .filter(|&x| free(x))
                    .collect();
                let aim = (x1 + x2) / 2;
                gaps.sort_by_key(|&x| x.abs_diff(aim));
                let x = gaps.first().copied().unwrap_or(PAD / 2);
                let (below, above) = (
                    row_top[from] + row_height[from] + GAP_Y / 2,
                    row_top[to] - GAP_Y / 2,
                );
                format!(
                    "M{x1} {y1}C{x1} {below} {x} {y1} {x} {below}V{above}C{x} {y2} {x2} {above} {x2} {y2}"
                )
            } else {
                let mid = (y1 + y2) / 2;
                format!("M{x1} {y1}C{x1} {mid} {x2} {mid} {x2} {y2}")
            };
            let _ = write!(
                svg,
                r##"<path d="{d}" fill="none" stroke="{INK}" stroke-width="2" marker-end="url(#{id}-arrow)"/>"##
            );
        }
    }
    for i in 0..n {
        draw_box(&mut svg, pos[i], BOX_WIDTH, &text[i], next[i].is_empty());
    }
    svg.push_str("</svg>");
    svg
}

fn narrow(
    pathway: &Pathway,
    next: &[Vec<usize>],
    column: &[usize],
    text: &[BoxText],
    desc: &str,
    class: &str,
    labels: &Labels,
) -> String {
    let n = next.len();
    let mut place = vec![0usize; n];
    for (k, &i) in column.iter().enumerate() {
        place[i] = k;
    }
    let mut top = vec![0u32; n];
    let mut y = PAD;
    for &i in column {
        top[i] = y;
        y += text[i].height() + GAP_Y;
    }
    let height = y - GAP_Y + PAD;
    // Each arrow that skips past a box runs in a lane on the right; a lane is
    // reused once the arrow before it in that lane has ended.
    let mut skips: Vec<(usize, usize)> = next
        .iter()
        .enumerate()
        .flat_map(|(i, targets)| targets.iter().map(move |&j| (i, j)))
        .filter(|&(i, j)| place[j] != place[i] + 1)
        .collect();
    skips.sort_by_key(|&(i, j)| (place[i], place[j]));
    let mut lane_ends: Vec<usize> = Vec::new();
    let mut lanes: Vec<((usize, usize), u32)> = Vec::new();
    for (i, j) in skips {
        let lane = match lane_ends.iter().position(|&end| end <= place[i]) {
            Some(l) => {
                lane_ends[l] = place[j];
                l
            }
            None => {
                lane_ends.push(place[j]);
                lane_ends.len() - 1
            }
        };
        lanes.push(((i, j), lane as u32));
    }
    let width = PAD + NARROW_BOX_WIDTH + lane_ends.len() as u32 * LANE + PAD;
    let mut svg = String::new();
    // Alone, it takes the plain id; beside the wide layout, one of its own.
    let id = if class.is_empty() {
        format!("diagram-{}", pathway.slug)
    } else {
        format!("diagram-{}-narrow", pathway.slug)
    };
    open_svg(&mut svg, pathway, &id, class, (width, height), desc, labels);
    // Drawn left to right, then mirrored for a language read from the right:
    // its lanes run down the left, where a line of its text ends.
    let x_of = |x: u32| if labels.rtl { width - x } else { x };
    let right = x_of(PAD + NARROW_BOX_WIDTH);
    let centre = x_of(PAD + NARROW_BOX_WIDTH / 2);
    for (i, targets) in next.iter().enumerate() {
        for &j in targets.iter().filter(|&&j| place[j] == place[i] + 1) {
            let _ = write!(
                svg,
                r##"<path d="M{centre} {}V{}" fill="none" stroke="{INK}" stroke-width="2" marker-end="url(#{id}-arrow)"/>"##,
                top[i] + text[i].height(),
                top[j]
            );
        }
    }
    for ((i, j), lane) in lanes {
        let x = x_of(PAD + NARROW_BOX_WIDTH + (lane + 1) * LANE);
        // Out of the lower part of the box's right side (left, mirrored), into
        // the upper part of the target's, so arrows leaving and arriving never meet.
        let (y1, y2) = (top[i] + text[i].height() - PAD - 2, top[j] + PAD + 6);
        let _ = write!(
            svg,
            r##"<path d="M{right} {y1}H{x}V{y2}H{right}" fill="none" stroke="{INK}" stroke-width="2" marker-end="url(#{id}-arrow)"/>"##
        );
    }
    for &i in column {
        draw_box(
            &mut svg,
            (
                x_of(PAD) - if labels.rtl { NARROW_BOX_WIDTH } else { 0 },
                top[i],
            ),
            NARROW_BOX_WIDTH,
            &text[i],
            next[i].is_empty(),
        );
    }
    svg.push_str("</svg>");
    svg
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
            draft: false,
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
        // Wide and narrow, each with two arrows.
        assert_eq!(svg.matches("<svg").count(), 2);
        assert_eq!(svg.matches("marker-end=").count(), 4, "two arrows each");
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

    /// A text's x and y, and its tag.
    type Text = (u32, u32, String);

    /// The (x, y, width, height) of each box, and the (x, y) of each text, in one SVG.
    fn boxes_and_texts(svg: &str) -> (Vec<[u32; 4]>, Vec<Text>) {
        let attr = |tag: &str, name: &str| -> u32 {
            let tag = format!(" {tag}");
            let start = tag.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            tag[start..].split('"').next().unwrap().parse().unwrap()
        };
        let boxes = svg
            .split("<rect ")
            .skip(1)
            .map(|t| {
                [
                    attr(t, "x"),
                    attr(t, "y"),
                    attr(t, "width"),
                    attr(t, "height"),
                ]
            })
            .collect();
        let texts = svg
            .split("<text ")
            .skip(1)
            .map(|t| (attr(t, "x"), attr(t, "y"), t.to_owned()))
            .collect();
        (boxes, texts)
    }

    #[test]
    fn labels_sit_inside_boxes_off_the_arrows_and_titles_are_bold_throughout() {
        let p = pathway(vec![
            step(
                "ask",
                "Ask every woman about abuse, kindly and in private",
                Some(&["high", "low"]),
                None,
            ),
            step(
                "high",
                "Refer to MARAC",
                Some(&[]),
                Some("If she is at high risk of serious harm"),
            ),
            step("low", "Local support", None, Some("Otherwise")),
        ]);
        let svg = pathway_svg(&p, &Labels::default());
        for one in svg.split("</svg>").filter(|s| !s.is_empty()) {
            let (boxes, texts) = boxes_and_texts(one);
            assert_eq!(boxes.len(), 3, "{one}");
            for (x, y, tag) in &texts {
                assert!(
                    boxes
                        .iter()
                        .any(|b| *x > b[0] && *x < b[0] + b[2] && *y > b[1] && *y < b[1] + b[3]),
                    "text outside every box: {tag}"
                );
                assert!(
                    tag.contains("font-style=\"italic\"") || tag.contains("font-weight=\"bold\""),
                    "a title line that is not bold: {tag}"
                );
            }
            // The title of step 1 wraps, and each of its lines is bold.
            assert!(
                texts.iter().filter(|t| t.2.contains("bold")).count() >= 4,
                "{one}"
            );
        }
    }

    #[test]
    fn the_narrow_layout_is_one_column_that_fits_a_phone() {
        let p = pathway(vec![
            step("a", "Start", Some(&["b", "c", "d"]), None),
            step("b", "Two", Some(&["d"]), Some("If one thing")),
            step("c", "Three", Some(&["d"]), Some("If another")),
            step("d", "End", Some(&[]), None),
        ]);
        let svg = pathway_svg(&p, &Labels::default());
        let narrow = svg.split("</svg>").nth(1).expect("a narrow layout");
        assert!(narrow.contains("class=\"pathway-diagram pathway-diagram--narrow\""));
        assert!(svg.contains("class=\"pathway-diagram pathway-diagram--wide\""));
        assert!(
            narrow.contains("id=\"diagram-p-narrow-title\""),
            "ids of its own"
        );
        let width: u32 = narrow
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(width <= 340, "{width} is wider than a phone's column");
        let (boxes, _) = boxes_and_texts(narrow);
        assert!(
            boxes.iter().all(|b| b[0] == boxes[0][0]),
            "one column: {boxes:?}"
        );
        assert!(
            boxes.windows(2).all(|w| w[0][1] + w[0][3] < w[1][1]),
            "top to bottom: {boxes:?}"
        );
        // Five arrows: a→b and c→d straight down; a→c, a→d and b→d in lanes.
        assert_eq!(narrow.matches("marker-end=").count(), 5);
        assert_eq!(
            narrow.matches("<path d=\"M270 ").count(),
            3,
            "three arrows in lanes, out of the boxes' right side"
        );
        // A pathway that never branches side by side has one layout, the
        // column, where the arrow that skips step b runs beside it.
        let line = pathway(vec![
            step("a", "One", Some(&["b", "c"]), None),
            step("b", "Two", None, Some("If so")),
            step("c", "Three", None, None),
        ]);
        let svg = pathway_svg(&line, &Labels::default());
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(svg.starts_with("<svg class=\"pathway-diagram\" "), "{svg}");
        assert_eq!(svg.matches("<path d=\"M270 ").count(), 1, "{svg}");
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
            svg.contains("Diagram o&#x27;r llwybr: Ask &amp; act")
                || svg.contains("Diagram o&#39;r llwybr: Ask &amp; act"),
            "{svg}"
        );
        assert!(!svg.contains("direction="));
        // Right to left: the wide layout's row of two reads from the right,
        // so step 2's box is on the right, not the left.
        let x_of = |svg: &str, text: &str| -> u32 {
            let wide = &svg[..svg.find("</svg>").unwrap()];
            let at = wide.find(&format!(">{text}</text>")).unwrap();
            let rect = wide[..at].rfind("<rect x=\"").unwrap() + 9;
            wide[rect..].split('"').next().unwrap().parse().unwrap()
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
        // The narrow layout mirrors too: the lane of the arrow that skips a
        // step runs down the left of the column, not the right.
        let lane = |svg: &str| -> (u32, u32) {
            let narrow = svg.split("</svg>").nth(1).unwrap();
            let path = narrow
                .split("<path d=\"M")
                .filter(|p| p.contains('H'))
                .nth(1)
                .unwrap();
            let (from, rest) = path.split_once(' ').unwrap();
            let lane = rest.split_once('H').unwrap().1.split('V').next().unwrap();
            (from.parse().unwrap(), lane.parse().unwrap())
        };
        let (edge, x) = lane(&ltr);
        assert!(x > edge, "ltr lane on the right: {edge} -> {x}");
        let (edge, x) = lane(&rtl);
        assert!(x < edge, "rtl lane on the left: {edge} -> {x}");
        let narrow_rtl = rtl.split("</svg>").nth(1).unwrap();
        let width: u32 = narrow_rtl
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let box_x: u32 = narrow_rtl
            .split("<rect x=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            box_x + NARROW_BOX_WIDTH + PAD,
            width,
            "boxes against the right edge"
        );
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
