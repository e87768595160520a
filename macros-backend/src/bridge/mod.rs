//! `#[bridge]`: add the missing twin of a function, through the runtime.
//! An `async fn name` gains `fn blocking_name` (`block_on`), a sync
//! `fn name` gains `fn name_async` returning a `Send + 'static` future
//! (`unblock`); on an inherent `impl` or a `trait`, every method does. A fn
//! returning `impl Stream` gains a blocking twin returning `impl Iterator`,
//! and a sync fn returning `impl Iterator` an async twin returning
//! `impl Stream` ([`stream`]).
//!
//! Pipeline: [`args`] parses options, [`container`] walks the item,
//! [`lower`] turns each signature into the typed [`ir::Twin`] (with
//! [`ownership`] deciding how each argument crosses to the pool, and
//! [`stream`] recognising stream and iterator outputs), and
//! [`emit`] prints it.

mod args;
mod container;
mod emit;
mod ir;
mod lower;
#[cfg(test)]
mod no_panic_tests;
mod ownership;
mod stream;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;

use crate::common::Errors;

/// Expands `#[bridge(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort expansion (the item and every twin
/// that could be made).
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = args::parse(args, &mut errors);
    let expanded = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(parsed) => container::expand_item(parsed, &options, &mut errors),
        Err(error) => {
            errors.push(error);
            item
        }
    };
    let compile_errors = errors.to_compile_errors();
    quote!(#compile_errors #expanded)
}
