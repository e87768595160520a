//! The four forms of `#[dual]` (fn, impl, trait and trait impl, inline mod)
//! and what they share: the twin of one fn ([`twin_fn`]), its attributes
//! ([`twin_attrs`]), and the per-world and replacement passes ([`prepare`]).

pub(crate) mod fn_;
pub(crate) mod impl_;
mod lint;
pub(crate) mod mod_;
mod skip;
pub(crate) mod trait_;

use super::args::Args;
use super::ir::{Scope, Twin};
use super::markers::{World, keep_world};
use super::rewrite::{self, Outcome};
use crate::common::Errors;
use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Block, Expr, Ident, Item, Signature};

/// The async copy (markers resolved) and the blocking copy (markers
/// resolved, replacements applied, replaced `.await`s marked, no
/// `#[allow_blocking]`) of `item`. Forms lint and watch the async copy with
/// [`lint::instrument`].
pub(crate) fn prepare(item: &Item, args: &Args, errors: &mut Errors) -> (Item, Item) {
    let mut async_copy = item.clone();
    keep_world(World::Async, &mut async_copy, errors);
    let mut blocking = item.clone();
    // Markers errors are reported once, from the async pass.
    keep_world(World::Blocking, &mut blocking, &mut Errors::default());
    if args.has_replacements {
        let before = callees(&blocking);
        args.replacements.apply(&mut blocking);
        let after = callees(&blocking);
        let changed: Vec<bool> = if before.len() == after.len() {
            before.iter().zip(&after).map(|(b, a)| b != a).collect()
        } else {
            Vec::new()
        };
        MarkReplaced { changed: &changed, index: 0 }.visit_item_mut(&mut blocking);
    }
    lint::strip_markers(&mut blocking);
    (async_copy, blocking)
}

/// The callee of every `.await`d call, in visiting order (as text).
fn callees(item: &Item) -> Vec<String> {
    /// Collects the callees.
    struct Callees(Vec<String>);
    impl Visit<'_> for Callees {
        fn visit_expr_await(&mut self, awaited: &syn::ExprAwait) {
            let callee = match &*awaited.base {
                Expr::Call(call) => quote::ToTokens::to_token_stream(&call.func).to_string(),
                Expr::Path(path) => quote::ToTokens::to_token_stream(path).to_string(),
                _ => String::new(),
            };
            self.0.push(callee);
            visit::visit_expr_await(self, awaited);
        }
    }
    let mut found = Callees(Vec::new());
    found.visit_item(item);
    found.0
}

/// Input: an `.await` whose callee a replacement changed (`tokio::fs::read(p).await`
/// → `std::fs::read(p).await`). Output: the same, marked so its `.await` is dropped.
struct MarkReplaced<'a> {
    /// Per `.await`, in visiting order: whether its callee changed.
    changed: &'a [bool],
    /// The next `.await`'s index.
    index: usize,
}

impl VisitMut for MarkReplaced<'_> {
    fn visit_expr_await_mut(&mut self, awaited: &mut syn::ExprAwait) {
        if self.changed.get(self.index).copied().unwrap_or(false) {
            let marker = Ident::new(rewrite::SYNC_MARKER, Span::call_site());
            awaited.attrs.push(syn::parse_quote!(#[#marker]));
        }
        self.index += 1;
        visit_mut::visit_expr_await_mut(self, awaited);
    }
}

/// The settings of the twin named `name`.
pub(crate) fn twin(name: &Ident, args: &Args) -> Twin {
    Twin {
        label: name.to_string(),
        strict: args.strict.is_some(),
        krate: args.krate(),
        tokio_to_std: args.tokio_to_std,
    }
}

/// Makes `sig`/`block` (a copy of an async fn) its blocking twin named
/// `name`, with attributes from [`twin_attrs`] linking to `link`.
pub(crate) fn twin_fn(
    attrs: &mut Vec<Attribute>,
    sig: &mut Signature,
    block: Option<&mut Block>,
    (name, link): (&Ident, &str),
    scope: &Scope,
    args: &Args,
    errors: &mut Errors,
) {
    let twin = twin(name, args);
    let Outcome { closure_call } = rewrite::blocking_fn(sig, block, scope, &twin, errors);
    sig.ident = name.clone();
    *attrs = twin_attrs(attrs, link, closure_call);
}

/// The attributes of a blocking twin: the original's (docs, `cfg`, lints,
/// `must_use`, `inline`, ..) minus async test/main attributes (`#[test]`
/// added in place of an async test one), plus a doc line linking to `link`.
pub(crate) fn twin_attrs(attrs: &[Attribute], link: &str, closure_call: bool) -> Vec<Attribute> {
    let mut out = Vec::new();
    let mut dropped_test = false;
    let mut has_test = false;
    let mut has_docs = false;
    for attr in attrs {
        let path = attr.path();
        let last = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if path.segments.len() >= 2 && (last == "test" || last == "main") {
            dropped_test |= last == "test";
            continue;
        }
        has_test |= path.is_ident("test");
        has_docs |= path.is_ident("doc");
        out.push(attr.clone());
    }
    if dropped_test && !has_test {
        out.push(syn::parse_quote!(#[test]));
    }
    if has_docs {
        out.push(syn::parse_quote!(#[doc = ""]));
    }
    let doc_line = format!("Blocking twin of [`{link}`].");
    out.push(syn::parse_quote!(#[doc = #doc_line]));
    // The async original's callers were not asked for `#[must_use]` (its
    // future is must-use by itself); the twin should not ask either. Its
    // signature is the original's, where an owned argument is idiomatic (the
    // future captures it), so clippy must not ask the twin to borrow it.
    if closure_call {
        out.push(syn::parse_quote!(
            #[allow(
                unused_braces,
                clippy::must_use_candidate,
                clippy::needless_pass_by_value,
                clippy::redundant_closure_call
            )]
        ));
    } else {
        out.push(syn::parse_quote!(
            #[allow(clippy::must_use_candidate, clippy::needless_pass_by_value)]
        ));
    }
    out
}

/// The error for a twin name that is already taken.
pub(crate) fn collision(twin: &Ident, existing: &Ident, what: &str) -> syn::Error {
    let mut error = syn::Error::new(
        twin.span(),
        format!(
            "#[dual]: the blocking twin `{twin}` would collide with the {what} `{existing}`\n\
             rename one of them, or name the twin with `#[dual(blocking = other_name)]`"
        ),
    );
    error.combine(syn::Error::new(existing.span(), format!("`{existing}` is defined here")));
    error
}
