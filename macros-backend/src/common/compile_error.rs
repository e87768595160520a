//! Whether an expansion reports an error: shared by the robustness harness
//! and the fuzz target (through the crate's `has_compile_error`).

use proc_macro2::{TokenStream, TokenTree};

/// Whether `tokens` invoke `compile_error!` anywhere.
pub(crate) fn has_compile_error(tokens: &TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    tokens.windows(2).any(|pair| {
        matches!(&pair[0], TokenTree::Ident(i) if i == "compile_error")
            && matches!(&pair[1], TokenTree::Punct(p) if p.as_char() == '!')
    }) || tokens.iter().any(|t| matches!(t, TokenTree::Group(g) if has_compile_error(&g.stream())))
}
