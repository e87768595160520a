//! Procedural macros of [`twoworlds`](https://docs.rs/twoworlds): `#[dual]`
//! and `#[bridge]`. Use them through the `twoworlds` facade, which documents
//! them. This crate only holds the entry points; each converts its tokens
//! and delegates to a pure expansion function of `twoworlds-macros-backend`.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use twoworlds_macros_backend as backend;

/// See `twoworlds::bridge`.
#[proc_macro_attribute]
pub fn bridge(args: TokenStream, item: TokenStream) -> TokenStream {
    backend::bridge(args.into(), item.into()).into()
}

/// See `twoworlds::dual`.
#[proc_macro_attribute]
pub fn dual(args: TokenStream, item: TokenStream) -> TokenStream {
    // The file the attribute is written in: a `#[dual] mod`'s `include!`s
    // are read relative to it.
    let invoking = proc_macro::Span::call_site().local_file();
    backend::dual_in_file(args.into(), item.into(), invoking.as_deref()).into()
}

/// See `twoworlds::only_async`. Inside a `#[dual]` item it is removed before
/// it runs; reaching this entry point means it is outside one: an error.
#[proc_macro_attribute]
pub fn only_async(_args: TokenStream, item: TokenStream) -> TokenStream {
    backend::marker_outside_dual("only_async", &item.into()).into()
}

/// See `twoworlds::only_blocking`. Like [`macro@only_async`]: an error outside
/// a `#[dual]` item.
#[proc_macro_attribute]
pub fn only_blocking(_args: TokenStream, item: TokenStream) -> TokenStream {
    backend::marker_outside_dual("only_blocking", &item.into()).into()
}

/// See `twoworlds::per_world`. Inside a `#[dual]` item it is replaced before it
/// runs; reaching this entry point means it is outside one: an error.
#[proc_macro]
pub fn per_world(_input: TokenStream) -> TokenStream {
    backend::per_world_outside_dual().into()
}

/// What `#[dual]` wraps each blocking twin in (not public API): the item,
/// re-spanned, so that an error inside it says it is in a blocking twin.
///
/// Written here over `proc_macro`'s own types, not in the backend over
/// `proc_macro2`'s: it runs once per twin, and is the whole of its work.
/// See the backend's `dual::respan` for why and where it is used.
#[doc(hidden)]
#[proc_macro]
pub fn blocking_twin(input: TokenStream) -> TokenStream {
    use proc_macro::{Group, Span, TokenTree};
    input
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), blocking_twin(group.stream()));
                inner.set_span(Span::mixed_site().located_at(group.span()));
                TokenTree::Group(inner)
            }
            mut other => {
                other.set_span(Span::mixed_site().located_at(other.span()));
                other
            }
        })
        .collect()
}
