//! `#[bridge]`. STUB: replaced by the bridge issue.

use proc_macro2::TokenStream;
use quote::quote;

/// Expands `#[bridge(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort copy of the item.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let _ = args;
    quote! { ::core::compile_error!("#[bridge] is not implemented yet"); #item }
}
