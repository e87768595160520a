//! Procedural macros of [`twoworlds`](https://docs.rs/twoworlds): `#[dual]`
//! and `#[bridge]`. Use them through the `twoworlds` facade, which documents
//! them; this crate only holds the entry points, each delegating to a pure
//! `proc_macro2 → proc_macro2` expansion function.
#![forbid(unsafe_code)]

mod bridge;
mod common;
mod dual;

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
