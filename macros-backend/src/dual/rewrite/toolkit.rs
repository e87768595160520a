//! The async toolkit's macros in the blocking twin.
//!
//! Input → output:
//! - `join!(a, b)` (tokio's, futures', any `join!`) → `(a', b')`: each
//!   future settled in turn, left to right (the sync meaning of waiting for
//!   all of them: one after the other);
//! - `try_join!(a, b)` → `a'` then `b'`, stopping at the first `Err`, as
//!   `Ok((a, b))` / `Err(e)`;
//! - `select!` / `select_biased!` → an error: it races futures, and the
//!   blocking twin runs one thing at a time; the message names the twin and
//!   the per-world markers that keep it in the async world.
//!
//! `a'` is what `a.await` becomes ([`super::await_`]).

use super::Rewriter;
use proc_macro2::Span;
use quote::{ToTokens as _, format_ident};
use syn::parse::Parser as _;
use syn::punctuated::Punctuated;
use syn::{Expr, Macro, Token};

/// A toolkit macro the twin gives its own meaning.
enum Toolkit {
    /// `join!`.
    Join,
    /// `try_join!`.
    TryJoin,
    /// `select!`, `select_biased!`.
    Select,
}

/// The toolkit macro `mac` is, by its last path segment.
fn classify(mac: &Macro) -> Option<Toolkit> {
    let last = mac.path.segments.last()?.ident.to_string();
    match last.as_str() {
        "join" => Some(Toolkit::Join),
        "try_join" => Some(Toolkit::TryJoin),
        "select" | "select_biased" => Some(Toolkit::Select),
        _ => None,
    }
}

/// The twin's expression for `mac` when it is a toolkit macro (see the
/// module docs), else `None`.
pub(super) fn rewrite(rw: &mut Rewriter<'_>, mac: &Macro) -> Option<Expr> {
    let kind = classify(mac)?;
    if let Toolkit::Select = kind {
        select_error(rw, mac);
        return None;
    }
    let futures = futures_of(&mac.tokens)?;
    let settled: Vec<Expr> = futures.into_iter().map(|future| settle(rw, future)).collect();
    Some(match kind {
        Toolkit::Join => syn::parse_quote!((#(#settled,)*)),
        Toolkit::TryJoin | Toolkit::Select => try_join(&settled),
    })
}

/// The futures of `join!(biased; a, b,)`: its comma-separated expressions.
fn futures_of(tokens: &proc_macro2::TokenStream) -> Option<Vec<Expr>> {
    let parser = |input: syn::parse::ParseStream<'_>| {
        if input.peek(syn::Ident) && input.peek2(Token![;]) {
            let _biased: syn::Ident = input.parse()?;
            let _semi: Token![;] = input.parse()?;
        }
        Punctuated::<Expr, Token![,]>::parse_terminated(input)
    };
    Some(parser.parse2(tokens.clone()).ok()?.into_iter().collect())
}

/// `future` as `future.await` becomes in the twin.
fn settle(rw: &mut Rewriter<'_>, future: Expr) -> Expr {
    let span = Span::call_site();
    super::await_::rewrite(
        rw,
        syn::ExprAwait {
            attrs: Vec::new(),
            base: Box::new(future),
            dot_token: Token![.](span),
            await_token: Token![await](span),
        },
    )
}

/// Input: the settled `a'`, `b'`. Output: `match a' { Ok(v0) => match b' {
/// Ok(v1) => Ok((v0, v1)), Err(e) => Err(e) }, Err(e) => Err(e) }`.
fn try_join(settled: &[Expr]) -> Expr {
    let names: Vec<syn::Ident> = (0..settled.len())
        .map(|index| format_ident!("__joined{}", index, span = Span::mixed_site()))
        .collect();
    let error = format_ident!("__error", span = Span::mixed_site());
    let mut out: Expr = syn::parse_quote!(::core::result::Result::Ok((#(#names,)*)));
    for (name, value) in names.iter().zip(settled).rev() {
        out = syn::parse_quote! {
            match #value {
                ::core::result::Result::Ok(#name) => #out,
                ::core::result::Result::Err(#error) => ::core::result::Result::Err(#error),
            }
        };
    }
    out
}

/// The error for a `select!` in a blocking twin.
fn select_error(rw: &mut Rewriter<'_>, mac: &Macro) {
    let name = mac.path.to_token_stream().to_string().replace(' ', "");
    let twin = &rw.twin.label;
    rw.errors.push(syn::Error::new_spanned(
        &mac.path,
        format!(
            "#[dual]: `{name}!` races futures, and the blocking twin `{twin}` runs one thing \
             at a time, so it has no sync meaning there\n\
             keep it in the async world and write the blocking world's way beside it: \
             `#[only_async]` on this statement and an `#[only_blocking]` one, or \
             `per_world!(async => .., blocking => ..)`"
        ),
    ));
}
