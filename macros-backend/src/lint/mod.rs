//! The compile-time blocking-call lint: calls of known blocking APIs inside
//! the async bodies `#[dual]` and `#[bridge]` emit (see [`table`] for the
//! list, what to use instead, and how calls are matched) become compiler
//! warnings spanned on the call.
//!
//! For the macros, in one call per async body they emit:
//! [`instrument_async_fn`] (warnings + watchdog wrapper + markers stripped,
//! the fn desugared to return its watched future where it can).
//! Its pieces, for a macro that needs them apart:
//! - [`blocking_call_warnings`]`((&sig, label), &body, allow, &imports)` → statements to
//!   splice at the start of the async body (empty when nothing is found);
//! - [`strip_allow_markers`]`(&mut body)` afterwards, on every copy of the
//!   body (both twins), so `#[allow_blocking]` never reaches rustc;
//! - the per-item allow: the option `allow_blocking` of the macro's attribute
//!   → [`Allow::ALL`]; on a method or item inside an impl/trait/module,
//!   [`take_allow_marker`]`(&mut attrs)` finds and removes `#[allow_blocking]`.

mod desugar;
mod emit;
mod handed;
mod held;
mod imports;
mod instrument;
mod strip;
pub(crate) mod table;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_twins;
mod twins;
mod visit;

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use syn::visit::Visit as _;

pub(crate) use desugar::{DesugaredArgs, is_inert};
pub(crate) use imports::Imports;
pub(crate) use instrument::{
    Site, dual_async_fn, implied_future_bound, instrument_async_fn, mentions_impl_trait,
    pin_output, returns_impl_trait,
};
pub(crate) use strip::{strip_allow_markers, take_allow_marker};

/// The name of the per-statement marker and of the per-item option.
pub(crate) const ALLOW_MARKER: &str = "allow_blocking";

/// Which blocking calls not to warn about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Allow {
    /// Every call of the item (`#[dual(allow_blocking)]`).
    pub(crate) all: bool,
}

impl Allow {
    /// Warn about every blocking call (the default).
    pub(crate) const NONE: Self = Self { all: false };
    /// Warn about none (`allow_blocking` on the item).
    pub(crate) const ALL: Self = Self { all: true };
}

/// A blocking call found in an async body.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    /// The call's name (last path segment, or method name).
    pub(crate) span: Span,
    /// What blocks, e.g. `` `std::thread::sleep` ``.
    pub(crate) api: String,
    /// What to use instead.
    pub(crate) instead: String,
}

impl Finding {
    /// The warning's text, for a call in the async fn `label`.
    pub(crate) fn message(&self, label: &str) -> String {
        format!(
            "{} in async fn `{label}` blocks the thread that polls it, and every task on that \
             thread stalls meanwhile; instead: {}; to allow it here, mark the statement \
             `#[allow_blocking]`",
            self.api, self.instead
        )
    }
}

/// Whether `attr` is `#[allow_blocking]`.
pub(crate) fn is_allow_marker(attr: &syn::Attribute) -> bool {
    attr.path().is_ident(ALLOW_MARKER)
}

/// The blocking calls of `body` (an async fn's body), outside statements
/// marked `#[allow_blocking]`; `imports` are the `use` items visible beside
/// the body's own (the tests' entry; the macros go through
/// [`blocking_call_warnings`]).
#[cfg(test)]
pub(crate) fn find_blocking_calls(
    body: &syn::Block,
    allow: Allow,
    imports: &Imports,
) -> Vec<Finding> {
    find_in(body, allow, imports, HashSet::new())
}

/// `find_blocking_calls` with the parameters of the fn that are declared
/// with a blocking trait (their method calls are blocking twins').
fn find_in(
    body: &syn::Block,
    allow: Allow,
    imports: &Imports,
    blocking_receivers: HashSet<String>,
) -> Vec<Finding> {
    if allow.all {
        return Vec::new();
    }
    let mut visible = Imports::default();
    visible.extend(imports);
    visible.add_from_block(body);
    let mut calls = visit::BlockingCalls::new(&visible, blocking_receivers);
    calls.visit_block(body);
    calls.finish()
}

/// Statements that make rustc warn at each blocking call of `body`, the body
/// of the async fn `sig` (named `label` in the messages): splice them at the
/// start of the async body (before its first statement, after its inner
/// attributes). Empty when there is nothing to report.
pub(crate) fn blocking_call_warnings(
    (sig, label): (&syn::Signature, &str),
    body: &syn::Block,
    allow: Allow,
    imports: &Imports,
) -> TokenStream {
    let findings = find_in(body, allow, imports, twins::blocking_receivers(sig));
    emit::warnings(label, &findings)
}
