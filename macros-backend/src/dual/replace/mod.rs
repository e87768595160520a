//! Path replacement in the blocking twin: `#[dual(replace(a::b => c::d, ..))]`
//! and the built-in `tokio_to_std` preset.
//!
//! A rule `from => to` rewrites every path of the blocking copy that starts
//! with the segments of `from` (a `::`-leading path and a plain one both
//! match) by putting `to` in their place; the rest of the path and the
//! generic arguments of the last replaced segment carry over
//! (`tokio::fs::read::<P>` → `std::fs::read::<P>`). When several rules match,
//! the one with the longest `from` wins. Paths are rewritten in expressions,
//! types, patterns, trait bounds, `impl Trait for` headers, macro arguments
//! (token by token), `use` items (grouped trees are split and regrouped), and
//! inside doc text (`#[doc = ".."]`, so a link to ``tokio::fs::read``
//! becomes one to ``std::fs::read``). Other attributes and `pub(in path)` are
//! left alone.
//!
//! Two conveniences keep imports working:
//! - a `use` that imports a replaced item under its own name keeps that
//!   name: `use tokio::io::AsyncReadExt;` → `use ::std::io::Read as
//!   AsyncReadExt;`, so bounds like `R: AsyncReadExt` in the body still
//!   resolve;
//! - a `use` of a module in front of a rule (`use tokio::fs;`) makes paths
//!   through that name match too (`fs::read(p)` → `::std::fs::read(p)`).
//!   This looks at the `use` items inside the `#[dual]` item only, and a name
//!   imported from two different places is not expanded.
//!
//! The preset table lives in [`preset`]; user rules override preset rules
//! with the same `from`.

mod preset;
mod rewrite;
mod text;
mod usetree;

use crate::common::Errors;
use proc_macro2::{Span, TokenTree};
use syn::parse::ParseStream;
use syn::{Path, Token};

/// The replacement rules of one `#[dual]` invocation.
pub(crate) struct Replacements {
    /// Every rule, in the order given; no two share a `from`.
    rules: Vec<Rule>,
}

/// One rule: paths starting with `from` get `to` in its place.
struct Rule {
    /// The segment names of the `from` path, without a leading `::`.
    from: Vec<String>,
    /// What replaces them, as written (preset targets start with `::`).
    to: Path,
    /// Where the rule came from, to report duplicates.
    origin: Origin,
}

/// Where a [`Rule`] came from.
#[derive(Clone, Copy)]
enum Origin {
    /// `replace(..)` in the attribute, with the span of its `from` path.
    User(Span),
    /// The built-in `tokio_to_std` preset.
    Preset,
}

/// The form every entry of `replace(..)` must have, quoted in errors.
const EXPECTED: &str = "expected `replace(from::path => to::path, ..)`";

impl Replacements {
    /// No rules yet.
    pub(crate) fn new() -> Self {
        Self { rules: Vec::new() }
    }

    /// Whether there is no rule at all (then [`Self::apply`] does nothing).
    pub(crate) fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Parses the inside of `replace( a::b => c::d, ... )` (the parenthesized
    /// content). Reports every malformed entry and duplicate `from` together;
    /// the well-formed entries are kept either way.
    pub(crate) fn parse_list(&mut self, content: ParseStream<'_>) -> syn::Result<()> {
        let mut errors = Errors::default();
        if content.is_empty() {
            errors.push(syn::Error::new(content.span(), format!("empty `replace()`: {EXPECTED}")));
        }
        while !content.is_empty() {
            match parse_entry(content) {
                Ok((from, to)) => {
                    if let Some(error) = self.add_user(&from, to) {
                        errors.push(error);
                    }
                }
                Err(error) => {
                    errors.push(error);
                    skip_past_comma(content);
                    continue;
                }
            }
            if content.is_empty() {
                break;
            }
            if let Err(error) = content.parse::<Token![,]>() {
                errors.push(syn::Error::new(error.span(), format!("expected `,`: {EXPECTED}")));
                skip_past_comma(content);
            }
        }
        errors.finish()
    }

    /// Adds the built-in tokio → std preset (option spelling `tokio_to_std`).
    /// Rules the user gave for the same `from` stay; adding it twice is the
    /// same as once.
    pub(crate) fn add_tokio_to_std(&mut self) {
        for (from, to) in preset::TOKIO_TO_STD {
            let from: Vec<String> = from.split("::").map(str::to_owned).collect();
            if self.rules.iter().any(|rule| rule.from == from) {
                continue;
            }
            let to = syn::parse_str::<Path>(to).unwrap_or_else(|_| Path::from(ident("std")));
            self.rules.push(Rule { from, to, origin: Origin::Preset });
        }
    }

    /// Adds the stream constructors' sync mirrors ([`preset::STREAM_MIRRORS`]),
    /// reached through `krate`. A user's rule for the same `from` stays.
    pub(crate) fn add_stream_mirrors(&mut self, krate: &Path) {
        for (from, name) in preset::STREAM_MIRRORS {
            let from: Vec<String> = from.split("::").map(str::to_owned).collect();
            if self.rules.iter().any(|rule| rule.from == from) {
                continue;
            }
            // `<krate>::__private::stream::<name>`, built: parsing it cost
            // more than the rest of the options, six times per invocation.
            let mut to = krate.clone();
            to.segments
                .extend(["__private", "stream", name].map(|s| syn::PathSegment::from(ident(s))));
            self.rules.push(Rule { from, to, origin: Origin::Preset });
        }
    }

    /// Rewrites paths, types, use items and doc text of one item of the
    /// blocking copy. `async` and `.await` may still be in it: they are
    /// ignored.
    pub(crate) fn apply(&self, item: &mut syn::Item) {
        if !self.is_empty() {
            rewrite::apply(self, item);
        }
    }

    /// Adds a rule from `replace(..)`; the error if its `from` was given
    /// before (a preset rule with that `from` is replaced instead).
    fn add_user(&mut self, from: &Path, to: Path) -> Option<syn::Error> {
        let names: Vec<String> = from.segments.iter().map(|s| s.ident.to_string()).collect();
        let span = from.segments.first().map_or_else(Span::call_site, |s| s.ident.span());
        let rule = Rule { from: names, to, origin: Origin::User(span) };
        let Some(existing) = self.rules.iter_mut().find(|existing| existing.from == rule.from)
        else {
            self.rules.push(rule);
            return None;
        };
        let Origin::User(first) = existing.origin else {
            *existing = rule;
            return None;
        };
        let shown = rule.from.join("::");
        let mut error = syn::Error::new_spanned(
            from,
            format!("duplicate replacement for `{shown}`: each `from` path may appear once"),
        );
        error.combine(syn::Error::new(first, format!("`{shown}` is first replaced here")));
        Some(error)
    }

    /// The rule with the longest `from` that is a prefix of `names` (at most
    /// `limit` segments long), with the number of segments it covers.
    fn longest<S: AsRef<str>>(&self, names: &[S], limit: usize) -> Option<(usize, &Path)> {
        self.rules
            .iter()
            .filter(|rule| rule.from.len() <= names.len().min(limit))
            .filter(|rule| rule.from.iter().zip(names).all(|(a, b)| a == b.as_ref()))
            .max_by_key(|rule| rule.from.len())
            .map(|rule| (rule.from.len(), &rule.to))
    }

    /// Whether `names` is a strict prefix of some rule's `from` (a module a
    /// `use` may import to reach replaced items through its name).
    fn is_strict_prefix(&self, names: &[String]) -> bool {
        self.rules.iter().any(|rule| rule.from.len() > names.len() && rule.from.starts_with(names))
    }
}

/// Parses one `from::path => to::path` entry.
fn parse_entry(content: ParseStream<'_>) -> syn::Result<(Path, Path)> {
    let from = parse_plain_path(content, "the path to replace")?;
    if !content.peek(Token![=>]) {
        return Err(content.error(format!("expected `=>` after `{}`: {EXPECTED}", show(&from))));
    }
    content.parse::<Token![=>]>()?;
    let to = parse_plain_path(content, "the replacement path")?;
    Ok((from, to))
}

/// Parses a path without generic arguments, with an error naming `what`.
fn parse_plain_path(content: ParseStream<'_>, what: &str) -> syn::Result<Path> {
    let path = Path::parse_mod_style(content)
        .map_err(|error| syn::Error::new(error.span(), format!("expected {what}: {EXPECTED}")))?;
    if content.peek(Token![<]) || (content.peek(Token![::]) && content.peek3(Token![<])) {
        return Err(content.error(format!(
            "generic arguments are not allowed in `replace(..)`: write `{}` alone; \
             arguments written in the body carry over",
            show(&path)
        )));
    }
    Ok(path)
}

/// Skips token trees up to and including the next top-level `,`, so parsing
/// can go on after a malformed entry.
fn skip_past_comma(content: ParseStream<'_>) {
    while !content.is_empty() {
        if content.parse::<Token![,]>().is_ok() {
            return;
        }
        if content.parse::<TokenTree>().is_err() {
            return;
        }
    }
}

/// A path as the user would write it, for messages.
fn show(path: &Path) -> String {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let lead = if path.leading_colon.is_some() { "::" } else { "" };
    format!("{lead}{}", names.join("::"))
}

/// An identifier with the call-site span.
fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests;
