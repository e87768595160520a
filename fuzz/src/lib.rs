//! The expansion functions of `twoworlds-macros`, compiled as a plain
//! library for the fuzz target: a proc-macro crate cannot be a library
//! dependency, so its modules are included by path under the same names, so
//! that their `crate::…` paths resolve as in the macros crate.
#![forbid(unsafe_code)]
// The macros crate's own lints apply there; here only the entry points are used.
#![allow(dead_code, unused_imports, unused_qualifications)]

#[path = "../../macros/src/bridge/mod.rs"]
mod bridge;
#[path = "../../macros/src/common/mod.rs"]
mod common;
#[path = "../../macros/src/robustness/compile_error.rs"]
mod compile_error;
#[path = "../../macros/src/dual/mod.rs"]
mod dual;
#[path = "../../macros/src/lint/mod.rs"]
mod lint;

use proc_macro2::TokenStream;

/// `#[bridge(args)] item`, as the proc macro expands it.
pub fn bridge(args: TokenStream, item: TokenStream) -> TokenStream {
    bridge::expand(args, item)
}

/// `#[dual(args)] item`, as the proc macro expands it.
pub fn dual(args: TokenStream, item: TokenStream) -> TokenStream {
    dual::expand(args, item)
}

/// Whether `tokens` invoke `compile_error!` anywhere (the robustness
/// harness's check, shared).
pub fn has_compile_error(tokens: &TokenStream) -> bool {
    compile_error::has_compile_error(tokens)
}
