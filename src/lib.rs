//! Signpost: a static site generator for local guides to support services for
//! women with multiple needs. Content in Markdown and YAML goes in; an accessible,
//! printable guide per local authority area comes out.
//!
//! The pipeline, one module per stage:
//! [`load`] finds and reads content files into the [`model`] (through [`source`],
//! [`yaml`] and [`fields`]), [`validate`] checks the whole site, [`markdown`] renders
//! bodies, [`diagram`] draws pathways, [`theme`] loads templates, [`render`] renders pages, [`openreferral`] the open data, [`export`] the sitemap, feed and JSON-LD, [`search`] the area search indexes, [`headers`] the HTTP headers for hosts that read `_headers`, and [`output`] writes
//! them atomically. [`site`] runs the stages in order. [`scaffold`] makes new files
//! and sites for editors, and [`serve`] is their live preview. [`report`] writes
//! `check`'s findings for people or tools, [`review`] lists the entries due for review,
//! [`import`] and [`spreadsheet`] bring services in from open data and spreadsheets
//! (and out to one), and [`cms`] writes the browser editor's page and configuration.

pub mod cms;
pub mod confidential;
pub mod diagnostics;
pub mod diagram;
pub mod export;
pub mod fields;
pub mod glossary;
pub mod headers;
pub mod html;
pub mod import;
pub mod kinds;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod openreferral;
pub mod output;
pub mod pages;
pub mod phone;
pub mod portable;
pub mod print;
pub mod readability;
pub mod render;
pub mod report;
pub mod review;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod spreadsheet;
pub mod theme;
pub mod translate;
pub mod urls;
pub mod validate;
pub mod words;
pub mod yaml;
