//! Findings → compiler warnings, on stable Rust.
//!
//! A proc macro cannot emit a warning on stable, so each finding becomes a
//! use of a deprecated item whose note is the message (the trick
//! `proc-macro-warning` packages). Written by hand rather than with that
//! crate: it depends on syn 2 (this crate is on syn 3, so it would build a
//! second syn for every user, against the build-time target), and the item it
//! emits (a deprecated `const` inside a `fn`) prints as
//! `` use of deprecated constant `f::{closure#0}::_w` `` inside an async body,
//! while a deprecated local `macro_rules!` prints as
//! `` use of deprecated macro `blocking_call_in_async_code`: <note> ``.
//!
//! ```text
//! { #[deprecated(note = "...")] macro_rules! blocking_call_in_async_code { () => {} }
//!   blocking_call_in_async_code!(); }
//! ```
//!
//! Everything is in its own block (no name leaks, no `items_after_statements`),
//! the macro name is resolved at the macro's own site (hygiene: a user item of
//! the same name is neither used nor shadowed) and located at the call, so the
//! warning points at the call; `#![deny(warnings)]` (or `deny(deprecated)`)
//! makes it an error, and `#[allow(deprecated)]` silences it like any other.

use super::Finding;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};

/// The statements that make rustc warn once per finding, at its call in the
/// async fn `label`.
pub(crate) fn warnings(label: &str, findings: &[Finding]) -> TokenStream {
    findings.iter().map(|finding| warning(label, finding)).collect()
}

/// The statement for one finding.
fn warning(label: &str, finding: &Finding) -> TokenStream {
    let span = finding.span.resolved_at(Span::mixed_site());
    let name = Ident::new("blocking_call_in_async_code", span);
    let note = finding.message(label);
    let definition = quote! {
        #[deprecated(note = #note)]
        macro_rules! #name { () => {} }
    };
    quote_spanned! {span=> { #definition #name!(); } }
}
