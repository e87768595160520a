//! The facade's `#[only_async]`, `#[only_blocking]` and `per_world!` when
//! they are NOT inside a `#[dual]` item (inside one, `#[dual]` removes them
//! before they could run): each is a compile error saying where they belong.
//!
//! This module has no dependency on the rest of `dual`, so that the crate
//! root can include it for its entry points.

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Input: `#[only_async] item` outside `#[dual]` (`name` = `only_async`).
/// Output: a `compile_error!` on the attribute, beside the item unchanged so
/// nothing else breaks.
pub(crate) fn marker_attribute(name: &str, item: &TokenStream) -> TokenStream {
    let message = format!(
        "`#[{name}]` only has meaning inside a `#[dual]` item, where it keeps a statement, item, \
         field, variant, match arm or impl/trait item in one twin only; here there is no twin. \
         Put it inside a `#[dual] fn`, `impl`, `trait` or `mod`, or remove it"
    );
    let error = syn::Error::new(Span::call_site(), message).to_compile_error();
    quote! { #error #item }
}

/// Input: `per_world!(..)` outside `#[dual]`. Output: a `compile_error!` on
/// the call.
pub(crate) fn per_world_call() -> TokenStream {
    let message = "`per_world!` only has meaning inside a `#[dual]` item, where it becomes its \
         `async` arm in the async twin and its `blocking` arm in the blocking twin; here there is \
         no twin. Use it inside a `#[dual] fn`, `impl`, `trait` or `mod`";
    syn::Error::new(Span::call_site(), message).to_compile_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_outside_is_an_error_beside_the_item() {
        let out = marker_attribute("only_async", &quote! { fn kept() {} }).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("`#[only_async]` only has meaning inside a `#[dual]` item"), "{out}");
        assert!(out.ends_with("fn kept () { }"), "{out}");
    }

    #[test]
    fn per_world_outside_is_an_error() {
        let out = per_world_call().to_string();
        assert!(out.contains("`per_world!` only has meaning inside a `#[dual]` item"), "{out}");
    }
}
