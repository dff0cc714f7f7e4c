//! The pipeline: load and validate the content, render Markdown, load the theme,
//! render every page and write the output. Each stage is its own function so that
//! the dev server and the benchmarks can run and time them one by one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use time::Date;

use crate::confidential::{LeakCache, Secrets};
use crate::diagnostics::Diagnostics;
use crate::load::{self, LoadCache, LoadOptions};
use crate::markdown;
use crate::model::Site;
use crate::output::{OutputError, Staging};
use crate::pages::{self, Job};
use crate::render::{self, SiteIndex};
use crate::theme::Theme;
use crate::{translate, validate};

/// Loads, validates and renders the Markdown of the site at `root`. Returns the
/// site when it has no errors; every problem found is in the diagnostics.
pub fn load_site(root: &Path, options: &LoadOptions) -> (Option<Site>, Diagnostics) {
    load_site_timed(root, options, &mut Timings::default(), None)
}

fn load_site_timed(
    root: &Path,
    options: &LoadOptions,
    timings: &mut Timings,
    cache: Option<(&mut LoadCache, &mut LeakCache, &Change)>,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let content = root.join("content");
    let (cache, leaks) = match cache {
        Some((files, leaks, change)) => (Some((files, change)), Some(leaks)),
        None => (None, None),
    };
    let (files, mut parts) = match cache {
        Some((cache, change)) => {
            let trusted = match change {
                Change::Contents(paths) => Some(paths),
                Change::Anything | Change::Theme => None,
            };
            let files = cache.discover(&content, trusted.is_some(), &mut diags);
            timings.lap("find content files");
            let parts = load::load_files_cached(&files, cache, trusted, &mut diags);
            (files, parts)
        }
        None => {
            let files = load::discover(&content, &mut diags);
            timings.lap("find content files");
            let parts = load::load_files(&files, &mut diags);
            (files, parts)
        }
    };
    timings.lap("read and parse YAML (parallel)");
    if let Some(secrets) = Secrets::take_from(&mut parts.services) {
        match leaks {
            Some(leaks) => secrets.find_leaks_cached(&files, &parts.texts, leaks, &mut diags),
            None => secrets.find_leaks(&files, &parts.texts, &mut diags),
        }
        timings.lap("look for confidential addresses (parallel)");
    }
    // Only that check reads whole files; their texts can go.
    parts.texts = Vec::new();
    let translations = std::mem::take(&mut parts.translations);
    translate::check_files(parts.config.as_ref(), &files, &translations, &mut diags);
    let mut site = validate::assemble(parts, options, &mut diags);
    timings.lap("validate and index");
    if let Some(site) = site.as_mut() {
        render_markdown(site);
        mark_glossary_terms(site);
        markdown::report(site, &mut diags);
        timings.lap("Markdown and sanitising (parallel)");
        if site.config.languages.len() > 1 || !translations.is_empty() {
            site.translations = translate::translated_sites(site, &files, translations, &mut diags);
            timings.lap("lay translations over their originals");
        }
    }
    (site, diags)
}

/// Wall time of each stage of a build, for `SIGNPOST_TIMINGS=1` and the
/// benchmark's profile (benches/README.md).
#[derive(Debug)]
pub struct Timings {
    last: Instant,
    pub stages: Vec<(&'static str, Duration)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }
}

impl Timings {
    /// Records the time since the previous lap under `stage`.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }

    /// Prints the stages to standard error when `SIGNPOST_TIMINGS` is set (the
    /// benchmark's profile of where the time goes), then `cpu`, the CPU time
    /// of each kind of page within the render stage, if there is any.
    pub fn print_if_asked(&self, cpu: &[(&'static str, Duration)]) {
        if std::env::var_os("SIGNPOST_TIMINGS").is_none() {
            return;
        }
        let line = |what: &str, took: &Duration| {
            eprintln!("{:>9.1} ms  {what}", took.as_secs_f64() * 1000.0);
        };
        self.stages
            .iter()
            .for_each(|(stage, took)| line(stage, took));
        if !cpu.is_empty() {
            eprintln!("CPU time within the render and write stage:");
            cpu.iter().for_each(|(what, took)| line(what, took));
        }
    }
}

/// Renders every Markdown body once, in parallel. Bodies already rendered (by
/// `load_files_cached`) are left as they are.
pub fn render_markdown(site: &mut Site) {
    let Site {
        services,
        pathways,
        case_studies,
        pages,
        ..
    } = site;
    use markdown::WithMarkdown;
    services.par_iter_mut().for_each(|s| s.render_markdown());
    case_studies
        .par_iter_mut()
        .for_each(|c| c.render_markdown());
    pages.par_iter_mut().for_each(|p| p.render_markdown());
    pathways.par_iter_mut().for_each(|p| p.render_markdown());
}

/// Marks up the glossary's terms in every rendered body (`glossary::mark_html`).
/// It runs over the Markdown pass's output, after it, rather than inside it:
/// `serve` keeps each file's rendered body from one reload to the next, and
/// a change to the glossary must reach every body without rendering them all
/// again. Nothing to do, and no pass at all, for a site without a glossary.
pub fn mark_glossary_terms(site: &mut Site) {
    mark_glossary_terms_in(site, |_| true);
}

/// `mark_glossary_terms` for the entries whose file `include` accepts (a
/// translated site marks only the bodies its translations replaced).
pub fn mark_glossary_terms_in(site: &mut Site, include: impl Fn(&str) -> bool + Sync) {
    let Site {
        services,
        pathways,
        case_studies,
        pages,
        glossary,
        ..
    } = site;
    if glossary.is_empty() {
        return;
    }
    use markdown::WithMarkdown;
    let mark = |file: &str, item: &mut dyn WithMarkdown| {
        if !include(file) {
            return;
        }
        for (body, _) in item.markdown_fields() {
            if let Some(html) = glossary.mark_html(&body.html) {
                body.html = html.into();
            }
        }
    };
    services
        .par_iter_mut()
        .for_each(|s| mark(&s.file.clone(), s));
    case_studies
        .par_iter_mut()
        .for_each(|c| mark(&c.file.clone(), c));
    pages.par_iter_mut().for_each(|p| mark(&p.file.clone(), p));
    pathways
        .par_iter_mut()
        .for_each(|p| mark(&p.file.clone(), p));
}

/// A site and theme ready to render.
pub struct Prepared {
    /// The site in its main language; the others are in `site.translations`.
    pub site: Site,
    pub theme: Theme,
    pub index: SiteIndex,
    /// The index of each translated site, in `site.translations`' order.
    pub translated_indexes: Vec<SiteIndex>,
    /// Every page, planned when first asked for: `serve` finds pages from
    /// their paths and needs the whole list only to check templates.
    jobs: std::sync::OnceLock<Vec<Job>>,
}

/// Everything up to rendering: content and theme, both validated.
pub fn prepare(root: &Path, options: &LoadOptions) -> (Option<Prepared>, Diagnostics) {
    prepare_timed(root, options, &mut Timings::default(), None)
}

/// What changed since the last reload, as the file watcher saw it.
#[derive(Debug, Clone)]
pub enum Change {
    /// Only the contents of these content files: none was added, removed or renamed.
    Contents(std::collections::HashSet<PathBuf>),
    /// Something under `themes/` (content may have changed too).
    Theme,
    /// Anything else, or the watcher could not say.
    Anything,
}

/// What `serve` keeps between reloads: every content file as last read, and
/// the theme as last loaded.
#[derive(Default)]
pub struct ReloadCache {
    files: LoadCache,
    /// What the confidential-address check found in each file.
    leaks: LeakCache,
    /// Theme name, the theme, and what loading it reported.
    theme: Option<(String, Theme, Diagnostics)>,
}

impl ReloadCache {
    /// Forgets a file, so that it is read again whatever its size and time.
    pub fn forget(&mut self, path: &Path) {
        self.files.forget(path);
    }
}

/// `prepare`, doing again only what `change` calls for: reading the changed
/// content files (all of them are listed again unless only contents
/// changed), and loading the theme only when it changed (for `serve`).
pub fn prepare_cached(
    root: &Path,
    options: &LoadOptions,
    cache: &mut ReloadCache,
    change: &Change,
    timings: &mut Timings,
) -> (Option<Prepared>, Diagnostics) {
    if matches!(change, Change::Theme | Change::Anything) {
        cache.theme = None;
    }
    prepare_timed(root, options, timings, Some((cache, change)))
}

fn prepare_timed(
    root: &Path,
    options: &LoadOptions,
    timings: &mut Timings,
    mut cache: Option<(&mut ReloadCache, &Change)>,
) -> (Option<Prepared>, Diagnostics) {
    let (site, mut diags) = load_site_timed(
        root,
        options,
        timings,
        cache
            .as_mut()
            .map(|(c, change)| (&mut c.files, &mut c.leaks, *change)),
    );
    let theme_name = site.as_ref().map_or("default", |s| s.config.theme.as_str());
    // The theme is checked even when the content has errors, so one run shows both.
    let theme = match cache.as_mut().map(|(c, _)| &mut c.theme) {
        Some(Some((name, theme, found))) if name == theme_name => {
            diags.extend(found.clone());
            Some(theme.clone())
        }
        Some(slot) => {
            let mut found = Diagnostics::new();
            let theme = Theme::load(root, theme_name, &mut found);
            diags.extend(found.clone());
            if let Some(theme) = &theme {
                *slot = Some((theme_name.to_owned(), theme.clone(), found));
            }
            theme
        }
        None => Theme::load(root, theme_name, &mut diags),
    };
    timings.lap("load and check the theme");
    match (site, theme) {
        (Some(site), Some(mut theme)) if !diags.has_errors() => {
            theme.use_glossaries(
                std::iter::once(&site)
                    .chain(&site.translations)
                    .map(|s| (s.config.language.clone(), s.glossary.clone()))
                    .collect(),
            );
            theme
                .words
                .report_missing(&site.config.languages, &mut diags);
            let index = SiteIndex::new(&site, options.today);
            let translated_indexes = site
                .translations
                .iter()
                .map(|t| SiteIndex::new(t, options.today))
                .collect();
            timings.lap("index areas");
            let has_static = |path: &str| theme.static_files().any(|(p, _)| p == path);
            crate::links::check(&site, &index.layout, &has_static, &mut diags);
            timings.lap("check links in texts");
            if diags.has_errors() {
                return (None, diags);
            }
            (
                Some(Prepared {
                    site,
                    theme,
                    index,
                    translated_indexes,
                    jobs: std::sync::OnceLock::new(),
                }),
                diags,
            )
        }
        _ => (None, diags),
    }
}

thread_local! {
    /// The buffer each rendering thread renders its pages into.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

thread_local! {
    /// Where `build --portable` rewrites each page's links.
    static PORTABLE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most a thread's page buffer keeps between pages.
const PAGE_BUFFER_KEPT: usize = 16 << 20;

impl Prepared {
    /// Every page of the site, in `render::plan`'s order: the main
    /// language's, then each other language's.
    pub fn jobs(&self) -> &[Job] {
        self.jobs.get_or_init(|| {
            let mut jobs = pages::plan(&self.site, &self.index.layout);
            for (i, (site, index)) in self
                .site
                .translations
                .iter()
                .zip(&self.translated_indexes)
                .enumerate()
            {
                let mut more = pages::plan(site, &index.layout);
                more.iter_mut().for_each(|j| j.language = i + 1);
                jobs.append(&mut more);
            }
            jobs
        })
    }

    /// The site and index of a language, by its position in `languages`.
    pub fn language(&self, language: usize) -> (&Site, &SiteIndex) {
        match language.checked_sub(1) {
            Some(i) if i < self.site.translations.len() => {
                (&self.site.translations[i], &self.translated_indexes[i])
            }
            _ => (&self.site, &self.index),
        }
    }

    /// The page or data file at `path` (as in `Job::path`), in whichever
    /// language its prefix says: what `serve` answers a request with.
    pub fn job_for_path(&self, path: &str) -> Option<Job> {
        let (language, _) = crate::urls::split_language(path, &self.site.config.languages);
        let (site, index) = self.language(language);
        pages::job_for_path(site, &index.layout, path)
    }

    /// Renders one page, in its language.
    pub fn render_page(&self, job: &Job) -> Result<String, render::RenderError> {
        let (site, index) = self.language(job.language);
        render::render_page(site, index, &self.theme, job)
    }

    /// Renders every page, handing each to `sink`; template errors are collected,
    /// one per template and message.
    pub fn render_all(
        &self,
        sink: impl Fn(&Job, &[u8]) -> Result<(), OutputError> + Sync,
    ) -> Result<Diagnostics, OutputError> {
        self.render_all_timed(sink, &CpuTimes::default())
    }

    /// `render_all`, adding the CPU time spent on each kind of page, and in
    /// `sink`, to `cpu`.
    pub fn render_all_timed(
        &self,
        sink: impl Fn(&Job, &[u8]) -> Result<(), OutputError> + Sync,
        cpu: &CpuTimes,
    ) -> Result<Diagnostics, OutputError> {
        self.render_jobs(self.jobs(), sink, cpu)
    }

    /// Renders `jobs`, as `render_all_timed` does every page.
    fn render_jobs(
        &self,
        jobs: &[Job],
        sink: impl Fn(&Job, &[u8]) -> Result<(), OutputError> + Sync,
        cpu: &CpuTimes,
    ) -> Result<Diagnostics, OutputError> {
        // An area's pages render one after another, sharing an `AreaCache`;
        // the areas render in parallel.
        let sink = &sink;
        let failures: Vec<Result<Option<render::RenderError>, OutputError>> = jobs
            .par_chunk_by(|a, b| a.language == b.language && a.kind.area() == b.kind.area())
            .flat_map_iter(|area_jobs| {
                let mut cache = render::AreaCache::default();
                let (site, index) = self.language(area_jobs[0].language);
                area_jobs.iter().map(move |job| {
                    PAGE_BUFFER.with_borrow_mut(|out| {
                        let started = Instant::now();
                        let rendered = render::render_page_into(
                            site,
                            index,
                            &self.theme,
                            job,
                            &mut cache,
                            out,
                        );
                        let rendered_at = Instant::now();
                        cpu.add(job.kind.label(), rendered_at - started);
                        let result = match rendered {
                            Ok(()) => sink(job, out).map(|()| None),
                            Err(e) => Ok(Some(e)),
                        };
                        cpu.add("write files", rendered_at.elapsed());
                        // Keep the capacity for the next page, up to a few print pages' worth.
                        if out.capacity() > PAGE_BUFFER_KEPT {
                            *out = Vec::new();
                        }
                        result
                    })
                })
            })
            .collect();
        let mut diags = Diagnostics::new();
        for failure in failures {
            if let Some(e) = failure? {
                diags.error(&e.template, e.pos, e.message);
            }
        }
        Ok(diags)
    }
}

/// Time summed over the threads that render, by kind of work: with two cores
/// busy, the sum is about twice the wall time.
#[derive(Debug, Default)]
pub struct CpuTimes {
    nanos: std::sync::Mutex<Vec<(&'static str, Duration)>>,
}

impl CpuTimes {
    fn add(&self, what: &'static str, took: Duration) {
        // A poisoned lock only means a panic elsewhere; the figures are advisory.
        if let Ok(mut list) = self.nanos.lock() {
            match list.iter_mut().find(|(w, _)| *w == what) {
                Some((_, total)) => *total += took,
                None => list.push((what, took)),
            }
        }
    }

    pub fn totals(&self) -> Vec<(&'static str, Duration)> {
        self.nanos.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Prepared {
    /// Renders, and throws away, a page for every shape of entry each template
    /// can meet (`render::check_sample`): the template errors a full render
    /// would find, at a fraction of the cost.
    pub fn check_templates(&self, timings: &mut Timings) -> Result<Diagnostics, OutputError> {
        // A sample per language: each has its own words, order and layout.
        let jobs = self.jobs();
        let mut sample = Vec::new();
        for (language, jobs) in jobs.chunk_by(|a, b| a.language == b.language).enumerate() {
            let (site, index) = self.language(language);
            let mut picked = render::check_sample(site, index, jobs);
            picked.iter_mut().for_each(|j| j.language = language);
            sample.append(&mut picked);
        }
        timings.lap("plan pages and pick a page per shape");
        let found = self.render_jobs(&sample, |_, _| Ok(()), &CpuTimes::default());
        timings.lap("render the sample");
        found
    }
}

/// What `check` found.
pub fn check(root: &Path, options: &LoadOptions) -> Diagnostics {
    check_timed(root, options, &mut Timings::default()).0
}

/// `check`, timing each stage into `timings`. Also returns the prepared site,
/// so that a caller about to exit can leave it to the operating system rather
/// than free a national guide's model piece by piece.
pub fn check_timed(
    root: &Path,
    options: &LoadOptions,
    timings: &mut Timings,
) -> (Diagnostics, Option<Prepared>) {
    let (prepared, mut diags) = prepare_timed(root, options, timings, None);
    if let Some(prepared) = &prepared {
        match prepared.check_templates(timings) {
            Ok(d) => diags.extend(d),
            Err(e) => diags.general_error(e.to_string()),
        }
    }
    (diags, prepared)
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub areas: usize,
    pub output: PathBuf,
    /// Where `--force` moved a folder of files Signpost did not write.
    pub moved_aside: Option<PathBuf>,
    pub elapsed: Duration,
    pub timings: Timings,
    pub cpu: Vec<(&'static str, Duration)>,
}

/// How a build ended when it did not succeed.
#[derive(Debug)]
pub enum BuildFailure {
    /// The content or the theme has errors (exit 1).
    Site,
    /// The output could not be written (exit 2).
    Output(OutputError),
}

/// How `build` publishes, beyond what it loads (`LoadOptions`).
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Build into an output folder that holds files Signpost did not write
    /// (it is moved aside, whole).
    pub force: bool,
    /// Links name `index.html`, for a copy opened from the file system
    /// (`portable`).
    pub portable: bool,
    /// Leaves the loaded site and its rendered values to the process's exit
    /// rather than freeing them one by one: the `build` command ends right
    /// after, and freeing a national site's millions of small values took a
    /// fifth of a second on one thread.
    pub leave_memory_to_exit: bool,
}

/// Builds the site at `root` into `output`. Diagnostics (warnings, and errors on
/// failure) go into `diags`. On any failure the previous output is left
/// untouched, unless the error is `OutputError::Moved`, which says where it went.
///
/// The build takes the output's lock before it reads the content: a build
/// that waited for another then publishes the content as it is after that one.
pub fn build(
    root: &Path,
    output: &Path,
    options: &LoadOptions,
    publish: BuildOptions,
    diags: &mut Diagnostics,
) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let staging = Staging::prepare(output, root, publish.force).map_err(BuildFailure::Output)?;
    timings.lap("lock the output and prepare the staging folder");
    let (prepared, found) = prepare_timed(root, options, &mut timings, None);
    diags.extend(found);
    let Some(prepared) = prepared else {
        staging.abandon();
        return Err(BuildFailure::Site);
    };
    prepared.jobs();
    timings.lap("plan pages");
    let cpu = CpuTimes::default();
    let write = |job: &Job, bytes: &[u8]| {
        if publish.portable && job.is_page() {
            PORTABLE_BUFFER.with_borrow_mut(|out| {
                crate::portable::relink(bytes, &render::root_of(job), out);
                staging.write(&job.file(), out)
            })
        } else {
            staging.write(&job.file(), bytes)
        }
    };
    let rendered = prepared.render_all_timed(write, &cpu);
    timings.lap("render and write pages (parallel)");
    let result = rendered.and_then(|render_diags| {
        let failed = render_diags.has_errors();
        diags.extend(render_diags);
        for (path, bytes) in prepared.theme.static_files() {
            staging.write(&format!("static/{path}"), bytes)?;
        }
        Ok(failed)
    });
    match result {
        Ok(false) => {
            let output = staging.output().to_owned();
            timings.lap("write theme files");
            staging.link_unchanged().map_err(BuildFailure::Output)?;
            timings.lap("link the unchanged files from the previous build");
            let published = staging.commit().map_err(BuildFailure::Output)?;
            timings.lap("publish: swap the new build in");
            let moved_aside = published.moved_aside.clone();
            // Removes the previous build, now in the staging folder, and
            // lets the next build of this output start.
            drop(published);
            timings.lap("remove the previous build");
            let pages = prepared.jobs().len();
            let areas = prepared.site.areas.len();
            if publish.leave_memory_to_exit {
                std::mem::forget(prepared);
            } else {
                drop(prepared);
                timings.lap("free memory");
            }
            Ok(BuildReport {
                pages,
                areas,
                output,
                moved_aside,
                elapsed: started.elapsed(),
                timings,
                cpu: cpu.totals(),
            })
        }
        Ok(true) => {
            staging.abandon();
            Err(BuildFailure::Site)
        }
        Err(e) => {
            staging.abandon();
            Err(BuildFailure::Output(e))
        }
    }
}

/// Today's date: `SIGNPOST_TODAY` (YYYY-MM-DD) when set, so that tests and
/// reproducible builds can fix the day stale reviews are judged on; else the UTC date.
pub fn today() -> Result<Date, String> {
    match std::env::var("SIGNPOST_TODAY") {
        Ok(s) => crate::fields::parse_date(&s).ok_or_else(|| {
            format!("SIGNPOST_TODAY should be a date written YYYY-MM-DD, not \"{s}\"")
        }),
        Err(_) => Ok(time::OffsetDateTime::now_utc().date()),
    }
}
