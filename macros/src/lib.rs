//! Procedural macros of [`twoworlds`](https://docs.rs/twoworlds): `#[dual]`
//! and `#[bridge]`. Use them through the `twoworlds` facade, which documents
//! them; this crate only holds the entry points, each delegating to a pure
//! `proc_macro2 → proc_macro2` expansion function.
#![forbid(unsafe_code)]

mod bridge;
mod common;
mod dual;
mod lint;
// The entry points of the per-world markers used outside `#[dual]` (each an
// error); the file lives with the markers it explains.
#[path = "dual/markers/outside.rs"]
mod markers_outside;
#[cfg(test)]
mod robustness;

use proc_macro::TokenStream;

/// See `twoworlds::bridge`.
#[proc_macro_attribute]
pub fn bridge(args: TokenStream, item: TokenStream) -> TokenStream {
    bridge::expand(args.into(), item.into()).into()
}

/// See `twoworlds::dual`.
#[proc_macro_attribute]
pub fn dual(args: TokenStream, item: TokenStream) -> TokenStream {
    dual::expand(args.into(), item.into()).into()
}

/// See `twoworlds::only_async`. Inside a `#[dual]` item it is removed before
/// it runs; reaching this entry point means it is outside one: an error.
#[proc_macro_attribute]
pub fn only_async(_args: TokenStream, item: TokenStream) -> TokenStream {
    markers_outside::marker_attribute("only_async", &item.into()).into()
}

/// See `twoworlds::only_blocking`. Like [`macro@only_async`]: an error outside
/// a `#[dual]` item.
#[proc_macro_attribute]
pub fn only_blocking(_args: TokenStream, item: TokenStream) -> TokenStream {
    markers_outside::marker_attribute("only_blocking", &item.into()).into()
}

/// See `twoworlds::per_world`. Inside a `#[dual]` item it is replaced before it
/// runs; reaching this entry point means it is outside one: an error.
#[proc_macro]
pub fn per_world(_input: TokenStream) -> TokenStream {
    markers_outside::per_world_call().into()
}
