//! `#[dual]`: one async body, a blocking twin by transformation.
//!
//! [`expand`] parses the options ([`args`]) and the item, picks the form
//! ([`forms`]), and each form rewrites a copy of its async fns into blocking
//! twins ([`rewrite`]) after resolving per-world code ([`markers`]) and
//! path replacements ([`replace`]). Every error of one invocation is
//! reported together, beside a best-effort expansion.

mod args;
mod forms;
mod ir;
mod markers;
pub(crate) use markers::outside as markers_outside;
mod replace;
mod rewrite;
#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tests;

use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Item;

/// Expands `#[dual(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort copy of the item.
#[allow(clippy::needless_pass_by_value)] // the signature of every expansion fn
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = args::parse(args, &mut errors);
    let item = match syn::parse2::<Item>(item.clone()) {
        Ok(item) => item,
        Err(error) => {
            errors.push(error);
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    let expanded = match &item {
        Item::Fn(function) => forms::fn_::expand(function, &args, &mut errors),
        Item::Impl(imp) if imp.trait_.is_some() => {
            forms::trait_::expand_impl(imp, &args, &mut errors)
        }
        Item::Impl(imp) => forms::impl_::expand(imp, &args, &mut errors),
        Item::Trait(tr) => forms::trait_::expand(tr, &args, &mut errors),
        Item::Mod(module) => forms::mod_::expand(module, &args, &mut errors),
        other => {
            errors.push(unsupported(other));
            quote!(#other)
        }
    };
    let compile_errors = errors.to_compile_errors();
    quote!(#compile_errors #expanded)
}

/// The error for an item `#[dual]` does not apply to.
fn unsupported(item: &Item) -> syn::Error {
    let what = match item {
        Item::ForeignMod(_) => {
            "an `extern` block: foreign fns have no body to rewrite; \
             wrap them in an `async fn` and put #[dual] on that"
        }
        _ => "this item",
    };
    syn::Error::new_spanned(
        item_head(item),
        format!(
            "#[dual] cannot be used on {what}\n\
             it applies to an `async fn`, an inherent `impl`, a `trait`, a trait `impl`, \
             or an inline `mod m {{ .. }}`"
        ),
    )
}

/// The first tokens of `item` (to span an error on its head, not its body).
fn item_head(item: &Item) -> TokenStream {
    let tokens = quote!(#item);
    tokens
        .into_iter()
        .take_while(|tt| {
            !matches!(tt, proc_macro2::TokenTree::Group(g)
        if g.delimiter() == proc_macro2::Delimiter::Brace)
        })
        .collect()
}
