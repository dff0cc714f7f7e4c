//! The parts of pages that are the same wherever a service or pathway
//! appears, rendered once for it rather than once per page.
//!
//! A national helpline is on the print page of every area, and a local
//! service on those of up to three. Its entry there, and the summary list on
//! its own page in each area it serves, differ from one area to the next only
//! in the links to that area's pages; so do a pathway's steps on its pages and
//! its entry on the print pages. Made with links relative to the page's place
//! within its area (`../needs/housing/` from `essex/print/`), they are the
//! same in every area: the theme's `service_entry`, `service_details`,
//! `need_card`, `pathway_entry` and `pathway_steps` components are rendered
//! once per service or pathway and language, and the pages take them as
//! `entry_html`, `details_html`, `card_html` and `steps_html`
//! (docs/themes.md). On a national build this is two thirds of them.

use tera::{Context, Value};

use super::RenderError;
use crate::theme::Theme;

/// A fragment as made once: the component's HTML, `None` for a theme that
/// has no such component, or why it failed (reported by every page that
/// shows it, as a template error).
pub(super) type Fragment = Result<Option<Value>, RenderError>;

/// Which fragment, and where its page is within an area's folder.
#[derive(Clone, Copy)]
pub(super) enum FragmentKind {
    /// `service_entry` on the print page, `essex/print/`.
    PrintEntry,
    /// `service_details` on the service's page, `essex/services/open-road/`.
    Details,
    /// `pathway_entry` on the print page.
    PathwayEntry,
    /// `pathway_steps` on the pathway's page, `essex/pathways/first-contact/`.
    PathwaySteps,
    /// `need_card` on a need's page, `essex/needs/housing/`.
    NeedCard,
}

impl FragmentKind {
    pub(super) fn component(self) -> &'static str {
        match self {
            FragmentKind::PrintEntry => "service_entry",
            FragmentKind::Details => "service_details",
            FragmentKind::PathwayEntry => "pathway_entry",
            FragmentKind::PathwaySteps => "pathway_steps",
            FragmentKind::NeedCard => "need_card",
        }
    }

    /// The component's argument that takes the service or pathway.
    fn argument(self) -> &'static str {
        match self {
            FragmentKind::PrintEntry | FragmentKind::Details | FragmentKind::NeedCard => "s",
            FragmentKind::PathwayEntry => "p",
            FragmentKind::PathwaySteps => "pathway",
        }
    }

    /// The way from the page to its area's folder.
    pub(super) fn up_to_area(self) -> &'static str {
        match self {
            FragmentKind::PrintEntry | FragmentKind::PathwayEntry => "../",
            FragmentKind::Details | FragmentKind::PathwaySteps | FragmentKind::NeedCard => "../../",
        }
    }
}

/// What rendering a component needs besides its service: the theme and the
/// words of the page's language (`w`, the components' implicit argument).
#[derive(Clone, Copy)]
pub(super) struct Components<'a> {
    pub(super) theme: &'a Theme,
    pub(super) words: &'a Value,
}

impl Components<'_> {
    /// Renders `kind`'s component for `item`, a service or pathway whose
    /// links are relative to the page (`LinksFrom::WithinArea`), with `root`
    /// empty, since `root ~ path` is then the way to each link.
    pub(super) fn render(&self, kind: FragmentKind, item: Value) -> Fragment {
        self.render_named(kind.component(), vec![(kind.argument(), item)])
    }

    /// Renders the theme's component `name` with the arguments in `given`
    /// that it declares, `root` empty if it takes one, and `w`; `None` when
    /// the theme has no such component.
    pub(super) fn render_named(&self, name: &str, given: Vec<(&'static str, Value)>) -> Fragment {
        let Some(definition) = self.theme.tera.get_component_definition(name) else {
            return Ok(None);
        };
        // Tera refuses an argument the component does not declare.
        let declared = |arg: &str| {
            definition
                .args()
                .iter()
                .any(|a| a.name() == arg && !a.is_implicit())
        };
        let mut args = Context::new();
        for (arg, value) in given {
            if declared(arg) {
                args.insert_value(arg, value);
            }
        }
        if declared("root") {
            args.insert("root", "");
        }
        let mut implicits = Context::new();
        implicits.insert_value("w", self.words.clone());
        let mut out = Vec::new();
        self.theme
            .tera
            .render_component_with_implicits_to(name, &args, &implicits, None, true, &mut out)
            .map_err(|e| {
                let problem = self.theme.describe_render_error("components.html", &e);
                RenderError {
                    template: self
                        .theme
                        .template_display(problem.template.as_deref().unwrap_or("components.html")),
                    pos: problem.pos,
                    message: problem.message,
                }
            })?;
        // Templates write UTF-8 text only.
        let html = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Some(Value::from(html)))
    }
}
