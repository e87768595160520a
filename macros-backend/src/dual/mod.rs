//! `#[dual]`: one async body, a blocking twin by transformation.
//!
//! The pipeline, like `#[bridge]`'s: [`expand`] parses the options
//! ([`options`]) and the item and picks the form ([`forms`]). Each form
//! splits the item into its two worlds ([`worlds`]: per-world code resolved
//! by [`markers`], path replacements by [`replace`], every async fn numbered
//! by [`fn_ids`]), makes blocking twins of the blocking copy ([`twin`], with
//! the body rewrite in [`rewrite`]: every `.await` settled by the *type* of
//! what it awaits), and hands the async copy to [`instrument`], which lints
//! and watches each async fn and makes it return its `#[dual]` future — the
//! future that runs the fn's blocking twin when another blocking twin awaits
//! it ([`ir::Branch`]). Every error of one invocation is reported together,
//! beside a best-effort expansion.

mod cfgs;
mod edition;
mod files;
mod fn_ids;
mod forms;
mod instrument;
mod ir;
mod markers;
pub(crate) use markers::outside as markers_outside;
mod options;
mod replace;
pub(crate) mod respan;
mod rewrite;
#[cfg(test)]
mod robustness;
mod stages;
#[cfg(test)]
mod tests;
mod twin;
mod worlds;

use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Item;

/// Expands `#[dual(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort copy of the item.
#[allow(clippy::needless_pass_by_value)] // the signature of every expansion fn
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_in(args, item, None)
}

/// [`expand`] of an item written in the file `invoking` (where a `#[dual]
/// mod`'s `include!`s and `mod x;` files are found).
#[allow(clippy::needless_pass_by_value)] // the signature of every expansion fn
pub(crate) fn expand_in(
    args: TokenStream,
    item: TokenStream,
    invoking: Option<&std::path::Path>,
) -> TokenStream {
    let mut errors = Errors::default();
    let (stage, args) = stages::take(args);
    let mut args_parsed = options::parse_only(args.clone(), &mut errors);
    if stage.is_none() && errors.is_empty() && args_parsed.cfgs.any() {
        return stages::first(&args, &args_parsed, &item);
    }
    args_parsed.cfgs.only = stage;
    let shell = stage == Some(cfgs::Version::Shell);
    let fast = (shell && !args_parsed.has_replacements).then(|| stages::shell_fn(&item)).flatten();
    // An item parsed by `shell_fn` names no stream constructor.
    args_parsed.bodies_as_written = fast.is_some();
    if !args_parsed.cfgs.blocking_off() && fast.is_none() {
        options::add_stream_mirrors(&mut args_parsed);
    }
    let args = args_parsed;
    let item = match fast.map_or_else(|| syn::parse2::<Item>(item.clone()), Ok) {
        Ok(item) => item,
        Err(error) => {
            errors.push(error);
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    // A blocking-only build's twins are not wrapped (see `respan`).
    let expanded = respan::plain_twins(shell, || match &item {
        Item::Fn(function) => forms::fn_::expand(function, &args, &mut errors),
        Item::Impl(imp) if imp.trait_.is_some() => {
            forms::trait_impl::expand(imp, &args, &mut errors)
        }
        Item::Impl(imp) => forms::impl_::expand(imp, &args, &mut errors),
        Item::Trait(tr) => forms::trait_::expand(tr, &args, &mut errors),
        Item::Mod(module) => {
            let mut module = module.clone();
            files::inline(&mut module, invoking, &mut errors);
            forms::mod_::expand(&module, &args, &mut errors)
        }
        other => {
            errors.push(unsupported(other));
            quote!(#other)
        }
    });
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
