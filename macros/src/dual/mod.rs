//! `#[dual]`. STUB: replaced by the dual issue.

use proc_macro2::TokenStream;
use quote::quote;

/// Expands `#[dual(args)] item`. Never panics: errors come back as
/// `compile_error!` beside a best-effort copy of the item.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let _ = args;
    quote! { ::core::compile_error!("#[dual] is not implemented yet"); #item }
}
