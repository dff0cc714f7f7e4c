//! A deterministic generator of a national Signpost corpus, and the same
//! corpus as a Hugo content tree, for the benchmark in `benches/README.md`.
//!
//! The same `Size` always gives the same bytes: the generator draws from its
//! own SplitMix64 stream with a fixed seed, and never reads the clock or the
//! environment. Used by `cargo run --release --example corpus` and, through
//! `#[path]`, by the tests that build a generated corpus.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// How big a corpus to generate.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub areas: usize,
    pub services: usize,
    /// Of `services`, how many are national (`areas: all`).
    pub national: usize,
    pub pathways: usize,
    /// Of `pathways`, how many are for `all` areas.
    pub national_pathways: usize,
    pub stories: usize,
}

/// The national size the issue asks for: every local authority in England.
pub const NATIONAL: Size = Size {
    areas: 317,
    services: 12_000,
    national: 20,
    pathways: 1_500,
    national_pathways: 10,
    stories: 1_000,
};

/// The small size: the same density per area, a fifteenth of the areas.
pub const SMALL: Size = Size {
    areas: 20,
    services: 800,
    national: 20,
    pathways: 95,
    national_pathways: 2,
    stories: 63,
};

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub signpost_files: usize,
    pub hugo_files: usize,
}

pub const NEEDS: [(&str, &str, &str); 10] = [
    (
        "mental-health",
        "Mental health",
        "Support when you are struggling with how you feel, think or cope.",
    ),
    (
        "learning-disability-autism",
        "Learning disability and autism",
        "Support that fits how you learn, communicate and take in information.",
    ),
    (
        "substance-misuse",
        "Drugs and alcohol",
        "Help to cut down or stop using drugs or alcohol, and to stay safe while you do.",
    ),
    (
        "domestic-abuse",
        "Domestic abuse",
        "Help if a partner, ex-partner or family member hurts, threatens or controls you.",
    ),
    (
        "housing",
        "Housing and homelessness",
        "Help to find or keep a safe place to live, including when you leave prison.",
    ),
    (
        "money-debt",
        "Money and debt",
        "Help with benefits, debts, bills and making money last.",
    ),
    (
        "children-families",
        "Children and families",
        "Support for mothers, for children, and for keeping in touch with them.",
    ),
    (
        "employment-skills",
        "Work and skills",
        "Help to learn, train, volunteer and find work.",
    ),
    (
        "criminal-justice",
        "Police, courts, probation and prison",
        "Support after arrest, at court, on probation, and when you leave prison.",
    ),
    (
        "care-leavers",
        "Care leavers",
        "Support for young women who have grown up in care.",
    ),
];

/// SplitMix64: tiny, fast and fully determined by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// `n` distinct indexes below `len`, in the order drawn.
    fn distinct(&mut self, n: usize, len: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n.min(len) {
            let i = self.range(0, len - 1);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

const AREA_STEMS: [&str; 40] = [
    "Ashworth",
    "Brontë",
    "Calder",
    "Dunmere",
    "Eskdale",
    "Fenwick",
    "Glenholm",
    "Harrowby",
    "Ilkley",
    "Jessop",
    "Kingsmere",
    "Lindow",
    "Marsden",
    "Northam",
    "Oakworth",
    "Penhallow",
    "Quarrendon",
    "Rothley",
    "Saltash",
    "Thornbury",
    "Ulverby",
    "Vexford",
    "Whitmore",
    "Yarrow",
    "Zennor",
    "Ambridge",
    "Bramhope",
    "Coldharbour",
    "Daventon",
    "Elmswell",
    "Farnley",
    "Gorsley",
    "Hexworth",
    "Ivybridge",
    "Juniper",
    "Kelsall",
    "Lowther",
    "Mickleby",
    "Netherby",
    "Øresby",
];

const AREA_FORMS: [&str; 8] = [
    "{}",
    "{} & District",
    "St {}'s",
    "{} Vale",
    "North {}",
    "{} and Wolds",
    "King's {}",
    "South {} & Coast",
];

const SERVICE_KINDS: [(&str, &[&str], bool); 16] = [
    (
        "Women's Centre",
        &[
            "mental-health",
            "domestic-abuse",
            "money-debt",
            "criminal-justice",
        ],
        true,
    ),
    ("Housing Options", &["housing"], false),
    (
        "Recovery Service",
        &["substance-misuse", "mental-health"],
        false,
    ),
    (
        "Domestic Abuse Service",
        &["domestic-abuse", "housing"],
        true,
    ),
    (
        "Liaison & Diversion",
        &[
            "criminal-justice",
            "mental-health",
            "learning-disability-autism",
        ],
        false,
    ),
    (
        "Women's Refuge",
        &["domestic-abuse", "housing", "children-families"],
        true,
    ),
    ("Money Advice", &["money-debt"], false),
    ("Family Support Team", &["children-families"], false),
    ("Care Leavers' Service", &["care-leavers", "housing"], false),
    ("Work & Skills Hub", &["employment-skills"], false),
    ("Talking Therapies", &["mental-health"], false),
    ("Through the Gate", &["criminal-justice", "housing"], true),
    ("Autism Advice", &["learning-disability-autism"], false),
    ("Alcohol Service", &["substance-misuse"], false),
    (
        "Young Women's Project",
        &["care-leavers", "mental-health"],
        true,
    ),
    (
        "Court Support",
        &["criminal-justice", "domestic-abuse"],
        true,
    ),
];

const ORGANISATIONS: [&str; 16] = [
    "Women's Aid & Partners",
    "Phoenix Futures with the NHS",
    "St Mary's Trust",
    "Zoë Lambert Foundation",
    "Nacro",
    "Together Women",
    "Citizens Advice",
    "The Probation Service",
    "Café Crème Community Interest Company",
    "Turning Point",
    "Change, Grow, Live",
    "The Council's Housing Team",
    "Birth Companions & Friends",
    "Hibiscus Initiatives",
    "Clean Break",
    "Agnès Rousseau Women's Network",
];

const LANGUAGES: [&str; 10] = [
    "English",
    "Polish",
    "Urdu",
    "Punjabi",
    "Romanian",
    "Arabic",
    "Bengali",
    "Somali",
    "Portuguese",
    "Tigrinya",
];

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Sentences the bodies are drawn from; `{name}` and `{area}` are filled in.
const SENTENCES: [&str; 24] = [
    "{name} works with women in {area} who are dealing with several problems at once, and helps them deal with one thing at a time.",
    "You can talk to a worker in private, and you do not have to tell your whole story on the first day.",
    "Many of the women we see have been in contact with the police, the courts or probation, and some have just left prison.",
    "We can help with housing, benefits and debts, and we can go with you to appointments if you would like us to.",
    "If you are worried about drink or drugs, a recovery worker can see you here, without a separate referral.",
    "Our staff are trained to notice the signs of domestic abuse, and to ask about it safely.",
    "If you have children, we will talk with you about what support you and they need, and what happens next.",
    "We work closely with the council's housing team, probation, the NHS and the women's centre.",
    "There is a crèche on Tuesday and Thursday mornings, so you can bring young children with you.",
    "You can come on your own or bring a friend; it's your choice.",
    "We know that getting here can be hard, so we can pay your bus fare or meet you somewhere nearer home.",
    "Some of our volunteers have been through the justice system themselves, and know what it's like.",
    "We keep what you tell us confidential, unless we are worried that you or a child are in danger.",
    "Sessions are usually an hour long, and you can have as many as you need.",
    "Workers can help you fill in forms, read letters and make phone calls to other services.",
    "If English is not your first language, we can book an interpreter for you at no cost.",
    "We run groups on confidence, healthy relationships and managing money, which you can join when you are ready.",
    "Probation officers, GPs, social workers and liaison and diversion teams can refer women to us.",
    "After court, a worker can help you understand what you need to do and when.",
    "If you are leaving prison, we can meet you at the gate and help you on the first day.",
    "We can help you get a bank account, ID and a GP, which many women need after release.",
    "The service is free, and you do not need to be on benefits to use it.",
    "Café drop-ins run every Friday, with a hot meal, advice and someone to talk to.",
    "We listen first, and we do not give up on you.",
];

const HEADINGS: [&str; 6] = [
    "What the service offers",
    "What happens when you get in touch",
    "Who can use it",
    "Getting here",
    "Working with other services",
    "What women say",
];

const STORY_NAMES: [&str; 12] = [
    "Amy",
    "Bernadette",
    "Chloé",
    "Dana",
    "Eilidh",
    "Fatima",
    "Gráinne",
    "Hannah",
    "Izzy",
    "Joanne",
    "Kasia",
    "Leanne",
];

struct Area {
    slug: String,
    name: String,
}

struct Service {
    slug: String,
    name: String,
    /// `None` for a national service.
    areas: Option<Vec<usize>>,
    self_referral: bool,
    women_only: bool,
    front_matter: String,
    body: String,
}

/// A lowercase ASCII slug: letters with accents lose them, anything else
/// becomes a hyphen.
fn ascii_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = match c {
            'à'..='å' => 'a',
            'è'..='ë' => 'e',
            'ì'..='ï' => 'i',
            'ò'..='ö' | 'ø' | 'Ø' => 'o',
            'ù'..='ü' => 'u',
            'ç' => 'c',
            '\'' | '’' => continue,
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A YAML double-quoted scalar.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<&str> = items.iter().map(|s| s.as_ref()).collect();
    format!("[{}]", inner.join(", "))
}

/// A Markdown body of 250–400 words: headings, paragraphs, a list, a link.
fn body(rng: &mut Rng, name: &str, area: &str) -> String {
    let target = rng.range(250, 400);
    let mut words = 0;
    let mut out = String::new();
    let mut headings = rng.distinct(3, HEADINGS.len()).into_iter();
    let mut paragraph = 0;
    while words < target {
        if paragraph % 2 == 0
            && let Some(h) = headings.next()
        {
            let _ = writeln!(out, "## {}\n", HEADINGS[h]);
        }
        if paragraph == 2 {
            out.push_str("You can get help with:\n\n");
            for i in rng.distinct(3, NEEDS.len()) {
                let _ = writeln!(out, "- {}", NEEDS[i].1.to_lowercase());
                words += 3;
            }
            out.push('\n');
        }
        let sentences = rng.range(2, 4);
        for s in 0..sentences {
            let sentence = rng
                .pick(&SENTENCES)
                .replace("{name}", name)
                .replace("{area}", area);
            words += sentence.split_whitespace().count();
            if s > 0 {
                out.push(' ');
            }
            if paragraph == 1 && s == 0 {
                let _ = write!(out, "**{sentence}**");
            } else {
                out.push_str(&sentence);
            }
        }
        if paragraph == 3 {
            out.push_str(
                " Read more on [our website](https://example.org/services/) or ask your worker.",
            );
            words += 9;
        }
        out.push_str("\n\n");
        paragraph += 1;
    }
    out
}

fn phone(rng: &mut Rng) -> String {
    format!(
        "01{:03} {:06}",
        rng.range(100, 999),
        rng.range(100_000, 999_999)
    )
}

fn areas(size: &Size, rng: &mut Rng) -> Vec<Area> {
    let mut out: Vec<Area> = Vec::with_capacity(size.areas);
    let mut i = 0;
    while out.len() < size.areas {
        let stem = AREA_STEMS[i % AREA_STEMS.len()];
        // Mix the forms from the start, so the small size has apostrophes,
        // ampersands and accents too; (stem, form) stays unique for 320 areas.
        let form = AREA_FORMS[(i + i / AREA_STEMS.len()) % AREA_FORMS.len()];
        let round = i / (AREA_STEMS.len() * AREA_FORMS.len());
        let mut name = form.replace("{}", stem);
        if round > 0 {
            let _ = write!(
                name,
                " {}",
                ["East", "West", "Central", "Upper"][(round - 1) % 4]
            );
        }
        let _ = rng.next();
        out.push(Area {
            slug: ascii_slug(&name),
            name,
        });
        i += 1;
    }
    out
}

fn service(rng: &mut Rng, index: usize, size: &Size, areas: &[Area]) -> Service {
    let national = index < size.national;
    let (kind, kind_needs, women) = *rng.pick(&SERVICE_KINDS);
    let served: Option<Vec<usize>> = if national {
        None
    } else {
        let n = rng.range(1, 3);
        Some(rng.distinct(n, areas.len()))
    };
    let home = match &served {
        Some(list) => areas[list[0]].name.clone(),
        None => "England".to_string(),
    };
    let name = if national {
        format!("National {kind} Line {}", index + 1)
    } else {
        format!("{home} {kind} {}", index + 1)
    };
    let slug = ascii_slug(&name);
    let organisation = rng.pick(&ORGANISATIONS);
    let mut needs: Vec<&'static str> = kind_needs.to_vec();
    if rng.chance(40) {
        let extra = rng.pick(&NEEDS).0;
        if !needs.contains(&extra) {
            needs.push(extra);
        }
    }
    let self_referral = national || rng.chance(70);
    let professional = !self_referral || rng.chance(60);
    let mut referral = Vec::new();
    if self_referral {
        referral.push("self");
    }
    if professional {
        referral.push("professional");
    }
    let women_only = women || rng.chance(20);
    let area_field = match &served {
        None => "all".to_string(),
        Some(list) => {
            let slugs: Vec<&str> = list.iter().map(|&a| areas[a].slug.as_str()).collect();
            flow_list(&slugs)
        }
    };
    let mut fm = String::new();
    let _ = writeln!(fm, "name: {}", q(&name));
    let _ = writeln!(fm, "organisation: {}", q(organisation));
    let _ = writeln!(
        fm,
        "summary: {}",
        q(&format!(
            "{kind} for women in {home}: someone to talk to, practical help and a route into {}.",
            NEEDS
                .iter()
                .find(|n| n.0 == needs[0])
                .map_or("support", |n| n.1)
                .to_lowercase()
        ))
    );
    let _ = writeln!(fm, "areas: {area_field}");
    let _ = writeln!(fm, "needs: {}", flow_list(&needs));
    let _ = writeln!(fm, "referral: {}", flow_list(&referral));
    let _ = writeln!(
        fm,
        "referral_notes: {}",
        q(
            "Call us yourself, or ask your probation officer, GP or support worker to refer you & we'll call back."
        )
    );
    let _ = writeln!(fm, "women_only: {women_only}");
    let _ = writeln!(
        fm,
        "eligibility: {}",
        q(&format!("Women aged 18 and over who live in {home}."))
    );
    fm.push_str("contact:\n");
    let _ = writeln!(fm, "  phone: {}", q(&phone(rng)));
    let _ = writeln!(fm, "  email: {}", q(&format!("help@{slug}.example.org")));
    let _ = writeln!(
        fm,
        "  website: {}",
        q(&format!("https://{slug}.example.org/"))
    );
    let _ = writeln!(
        fm,
        "  text: {}",
        q(&format!("Text 07700 900{:03}", rng.range(0, 999)))
    );
    let _ = writeln!(
        fm,
        "  notes: {}",
        q("Leave a message and we'll ring back the same day.")
    );
    fm.push_str("locations:\n");
    let _ = writeln!(fm, "  - name: {}", q(&format!("{home} Women's Hub")));
    let _ = writeln!(
        fm,
        "    address: {}",
        q(&format!("{} Market Street, {home}", rng.range(1, 200)))
    );
    let _ = writeln!(
        fm,
        "    postcode: {}",
        q(&format!("ZZ{} {}AB", rng.range(1, 99), rng.range(1, 9)))
    );
    if kind == "Women's Refuge" {
        let _ = writeln!(fm, "  - name: {}", q("Refuge (address withheld)"));
        let _ = writeln!(fm, "    address: {}", q("Confidential Road, Nowhere"));
        fm.push_str("    postcode: \"ZZ99 9ZZ\"\n    confidential: true\n");
    }
    fm.push_str("hours:\n");
    let first = rng.range(0, 2);
    let days: Vec<&str> = DAYS[first..first + 5].to_vec();
    let _ = writeln!(
        fm,
        "  - days: {}\n    opens: \"09:{:02}\"\n    closes: \"17:00\"",
        flow_list(&days),
        rng.range(0, 3) * 15
    );
    let _ = writeln!(
        fm,
        "  - days: [sat]\n    opens: \"10:00\"\n    closes: \"13:00\""
    );
    let _ = writeln!(fm, "hours_notes: {}", q("Closed on bank holidays."));
    let count = rng.range(1, 3);
    let langs: Vec<&str> = rng
        .distinct(count, LANGUAGES.len())
        .into_iter()
        .map(|i| LANGUAGES[i])
        .collect();
    let _ = writeln!(fm, "languages: {}", flow_list(&langs));
    let _ = writeln!(fm, "cost: {}", q("Free"));
    let _ = writeln!(
        fm,
        "last_reviewed: 2026-{:02}-{:02}",
        rng.range(1, 10),
        rng.range(1, 28)
    );
    fm.push_str("draft: false\n");
    let body = body(rng, &name, &home);
    Service {
        slug,
        name,
        areas: served,
        self_referral,
        women_only,
        front_matter: fm,
        body,
    }
}

fn write(path: &Path, text: &str, count: &mut usize) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)?;
    *count += 1;
    Ok(())
}

/// Write the corpus: a Signpost site at `dir/signpost` and a Hugo content
/// tree at `dir/hugo-content`. `dir` must be empty or missing.
pub fn generate(size: &Size, dir: &Path) -> io::Result<Written> {
    let mut rng = Rng(0x5167_4e50_0575_2026);
    let mut written = Written::default();
    let site = dir.join("signpost/content");
    let hugo = dir.join("hugo-content");
    let s = &mut written.signpost_files;

    write(
        &site.join("site.yaml"),
        "title: \"Support for women in England: the national guide\"\n\
         publisher: \"Signpost benchmark partnership\"\n\
         language: en-GB\n\
         base_url: https://bench.example.org/\n\
         contact:\n  email: guide@bench.example.org\n\
         review_after_months: 12\n\
         quick_exit_url: https://www.bbc.co.uk/weather\n",
        s,
    )?;
    let mut needs = String::new();
    for (slug, name, description) in NEEDS {
        let _ = writeln!(
            needs,
            "- slug: {slug}\n  name: {}\n  description: {}",
            q(name),
            q(description)
        );
    }
    write(&site.join("needs.yaml"), &needs, s)?;
    write(
        &site.join("pages/cover-your-tracks.md"),
        "---\ntitle: Cover your tracks online\n---\nHow to clear your browser's history, and how to use a private window.\n",
        s,
    )?;
    write(
        &site.join("pages/accessibility-statement.md"),
        "---\ntitle: Accessibility statement\n---\nThis guide is partially compliant with WCAG 2.2 AA.\n",
        s,
    )?;

    let areas = areas(size, &mut rng);
    for area in &areas {
        write(
            &site.join(format!("areas/{}.yaml", area.slug)),
            &format!(
                "name: {}\ncouncil: {}\nsummary: {}\nemergency: {}\n",
                q(&area.name),
                q(&format!("{} Council", area.name)),
                q(&format!(
                    "Services for women across {}, from drug and alcohol support to help after arrest or prison.",
                    area.name
                )),
                q(
                    "If you are in danger now, call 999. If you cannot speak, call 999 and press 55 when asked."
                )
            ),
            s,
        )?;
    }

    let services: Vec<Service> = (0..size.services)
        .map(|i| service(&mut rng, i, size, &areas))
        .collect();
    // Which services serve each area, national ones included.
    let mut by_area: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
    let national: Vec<usize> = (0..services.len())
        .filter(|&i| services[i].areas.is_none())
        .collect();
    for (i, service) in services.iter().enumerate() {
        match &service.areas {
            Some(list) => list.iter().for_each(|&a| by_area[a].push(i)),
            None => by_area.iter_mut().for_each(|l| l.push(i)),
        }
    }
    for service in &services {
        write(
            &site.join(format!("services/{}.md", service.slug)),
            &format!("---\n{}---\n{}", service.front_matter, service.body),
            s,
        )?;
    }

    // Pathways: four to eight steps, with a branch that joins again.
    let mut pathways = Vec::with_capacity(size.pathways);
    for p in 0..size.pathways {
        let for_all = p < size.national_pathways;
        let area = if for_all { None } else { Some(p % areas.len()) };
        let pool: &[usize] = match area {
            Some(a) => &by_area[a],
            None => &national,
        };
        let (area_slug, area_name) = match area {
            Some(a) => (areas[a].slug.clone(), areas[a].name.clone()),
            None => ("all".to_string(), "England".to_string()),
        };
        let need = rng.pick(&NEEDS);
        let title = format!("{} in {area_name}: route {}", need.1, p + 1);
        let slug = ascii_slug(&title);
        let steps = rng.range(4, 8);
        let branch_at = rng.range(0, steps - 3);
        let mut fm = String::new();
        let _ = writeln!(fm, "title: {}", q(&title));
        let _ = writeln!(fm, "area: {area_slug}");
        let _ = writeln!(fm, "needs: [{}]", need.0);
        let _ = writeln!(
            fm,
            "audience: {}",
            if rng.chance(50) {
                "women"
            } else {
                "professionals"
            }
        );
        let _ = writeln!(
            fm,
            "summary: {}",
            q(&format!(
                "The route from a first contact to the right support for {} in {area_name}.",
                need.1.to_lowercase()
            ))
        );
        fm.push_str("steps:\n");
        let mut step_services = Vec::new();
        for st in 0..steps {
            let _ = writeln!(fm, "  - id: step-{}", st + 1);
            let _ = writeln!(
                fm,
                "    title: {}",
                q(&format!("Step {}: talk to someone who can help", st + 1))
            );
            let _ = writeln!(
                fm,
                "    text: {}",
                q(
                    "Ask what she needs first & who she trusts; make the referral with her, not for her."
                )
            );
            if st == branch_at + 2 {
                let _ = writeln!(fm, "    when: {}", q("If she is at high risk"));
            }
            let count = rng.range(1, 2);
            let chosen: Vec<&str> = rng
                .distinct(count, pool.len())
                .into_iter()
                .map(|i| services[pool[i]].slug.as_str())
                .collect();
            step_services.extend(chosen.iter().map(|s| s.to_string()));
            let _ = writeln!(fm, "    services: {}", flow_list(&chosen));
            if st == branch_at {
                let _ = writeln!(fm, "    next: [step-{}, step-{}]", st + 2, st + 3);
            }
        }
        let body = body(&mut rng, &title, &area_name);
        write(
            &site.join(format!("pathways/{slug}.md")),
            &format!("---\n{fm}---\n{body}"),
            s,
        )?;
        pathways.push((slug, title, area, fm, body));
    }

    let mut stories = Vec::with_capacity(size.stories);
    for c in 0..size.stories {
        let first = rng.range(0, areas.len() - 1);
        let mut story_areas = vec![first];
        if rng.chance(30) {
            story_areas.push((first + 1) % areas.len());
        }
        let person = rng.pick(&STORY_NAMES);
        let title = format!("{person}'s story: one worker who stayed ({})", c + 1);
        let slug = ascii_slug(&title);
        let count = rng.range(1, 3);
        let chosen: Vec<&str> = rng
            .distinct(count, by_area[first].len())
            .into_iter()
            .map(|i| services[by_area[first][i]].slug.as_str())
            .collect();
        let needs: Vec<&str> = rng
            .distinct(2, NEEDS.len())
            .into_iter()
            .map(|i| NEEDS[i].0)
            .collect();
        let area_slugs: Vec<&str> = story_areas
            .iter()
            .map(|&a| areas[a].slug.as_str())
            .collect();
        let fm = format!(
            "title: {}\nareas: {}\nneeds: {}\nservices: {}\nsummary: {}\nconsent: true\n",
            q(&title),
            flow_list(&area_slugs),
            flow_list(&needs),
            flow_list(&chosen),
            q(&format!(
                "How {person} found help that lasted, after years of being passed on."
            ))
        );
        let body = body(&mut rng, &title, &areas[first].name);
        write(
            &site.join(format!("case-studies/{slug}.md")),
            &format!("---\n{fm}---\n{body}"),
            s,
        )?;
        stories.push((slug, story_areas, fm, body));
    }

    // The Hugo tree: Hugo has no notion of a page per service per area, so
    // each service's file is written into every area it serves (Hugo then
    // renders its Markdown once per area, as a Hugo site would have to).
    let h = &mut written.hugo_files;
    write(
        &hugo.join("_index.md"),
        "---\ntitle: \"Support for women in England: the national guide\"\n---\n",
        h,
    )?;
    for (a, area) in areas.iter().enumerate() {
        let base = hugo.join(&area.slug);
        write(
            &base.join("_index.md"),
            &format!(
                "---\ntitle: {}\ntype: area\narea: {}\noutputs: [HTML, JSON]\nsummary_text: {}\nemergency: {}\n---\n",
                q(&area.name),
                area.slug,
                q(&format!("Services for women across {}.", area.name)),
                q("If you are in danger now, call 999.")
            ),
            h,
        )?;
        for &i in &by_area[a] {
            let service = &services[i];
            write(
                &base.join(format!("services/{}.md", service.slug)),
                &format!(
                    "---\ntitle: {}\ntype: service\narea: {}\nself_referral: {}\nwomen_only_flag: {}\n{}---\n{}",
                    q(&service.name),
                    area.slug,
                    service.self_referral,
                    service.women_only,
                    service.front_matter,
                    service.body
                ),
                h,
            )?;
        }
        for (slug, name, _) in NEEDS {
            write(
                &base.join(format!("needs/{slug}.md")),
                &format!(
                    "---\ntitle: {}\ntype: need\nneed: {slug}\narea: {}\n---\n",
                    q(name),
                    area.slug
                ),
                h,
            )?;
        }
        write(
            &base.join("print.md"),
            &format!(
                "---\ntitle: {}\ntype: print\narea: {}\n---\n",
                q(&format!("{}: the whole guide", area.name)),
                area.slug
            ),
            h,
        )?;
        for (slug, _title, p_area, fm, body) in &pathways {
            if p_area.is_none() || *p_area == Some(a) {
                write(
                    &base.join(format!("pathways/{slug}.md")),
                    &format!(
                        "---\ntype: pathway\nhugo_area: {}\n{fm}---\n{body}",
                        area.slug
                    ),
                    h,
                )?;
            }
        }
        for (slug, story_areas, fm, body) in &stories {
            if story_areas.contains(&a) {
                write(
                    &base.join(format!("stories/{slug}.md")),
                    &format!(
                        "---\ntype: story\nhugo_area: {}\n{fm}---\n{body}",
                        area.slug
                    ),
                    h,
                )?;
            }
        }
    }
    Ok(written)
}
