//! The expansion code of [`twoworlds`](https://docs.rs/twoworlds)'s macros,
//! as a plain library: every entry point is a pure
//! `proc_macro2::TokenStream → proc_macro2::TokenStream` function.
//!
//! `twoworlds-macros` is the thin proc-macro crate over it (the pattern of
//! `pyo3-macros` / `pyo3-macros-backend`): a proc-macro crate cannot be
//! linked as a library, so the fuzz target, the corpus harness and the
//! benches link this crate instead and exercise the same code the
//! attributes run. Not a public API: its items change with the macros.
#![forbid(unsafe_code)]

mod bridge;
mod common;
mod dual;
mod lint;
#[cfg(test)]
mod robustness;

use proc_macro2::TokenStream;

/// `#[bridge(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort expansion.
#[must_use]
pub fn bridge(args: TokenStream, item: TokenStream) -> TokenStream {
    bridge::expand(args, item)
}

/// `#[dual(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort expansion.
#[must_use]
pub fn dual(args: TokenStream, item: TokenStream) -> TokenStream {
    dual::expand(args, item)
}

/// [`dual`] on an item written in the file `invoking`: a `#[dual] mod`'s
/// `include!("..")`s and the `mod x;` files in them are read from there.
#[must_use]
pub fn dual_in_file(
    args: TokenStream,
    item: TokenStream,
    invoking: Option<&std::path::Path>,
) -> TokenStream {
    dual::expand_in(args, item, invoking)
}

/// `#[only_async]` / `#[only_blocking]` (named by `name`) reached outside a
/// `#[dual]` item: a `compile_error!` beside the item unchanged.
#[must_use]
pub fn marker_outside_dual(name: &str, item: &TokenStream) -> TokenStream {
    dual::markers_outside::marker_attribute(name, item)
}

/// `per_world!` reached outside a `#[dual]` item: a `compile_error!`.
#[must_use]
pub fn per_world_outside_dual() -> TokenStream {
    dual::markers_outside::per_world_call()
}

// What the robustness harnesses (the corpus test, the fuzz target) check on
// an expansion, and the widening of their inputs: see `common::check`.
pub use common::check::{Checked, check_expansion, made_async};

/// Whether `tokens` invoke `compile_error!` anywhere: how the robustness
/// harnesses tell a rejection (the macro's own error) from an expansion.
#[must_use]
pub fn has_compile_error(tokens: &TokenStream) -> bool {
    common::compile_error::has_compile_error(tokens)
}
