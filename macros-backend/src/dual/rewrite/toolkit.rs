//! The async toolkit's macros in the blocking twin.
//!
//! Input → output:
//! - `join!(a, b)` (tokio's, futures', any `join!`) → `(a', b')`: each
//!   future settled in turn, left to right (the sync meaning of waiting for
//!   all of them: one after the other);
//! - `try_join!(a, b)` → `a'` then `b'`, stopping at the first `Err`, as
//!   `Ok((a, b))` / `Err(e)`;
//! - `select!` / `select_biased!` → the whole `select!`, as written, run as
//!   one future (`async { select! { .. } }` settled like any foreign future:
//!   bridged through `block_on`, an error under `strict`): the twin waits for
//!   the first branch to complete and runs its handler, as the original
//!   does. Only where no handler leaves the `select!` (`return`, `?`,
//!   `break`, `continue`), which inside that future would mean something
//!   else; there it is an error that names the twin and the per-world
//!   markers that keep it in the async world.
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
        if leaves(&mac.tokens) {
            select_error(rw, mac);
            return None;
        }
        return Some(select_as_one_future(rw, mac));
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

/// Input: `select! { .. }`. Output: the settling of `async { select! { .. } }`.
fn select_as_one_future(rw: &Rewriter<'_>, mac: &Macro) -> Expr {
    let span = mac.bang_token.span;
    let future: Expr = syn::parse_quote_spanned!(span=> async { #mac });
    let awaited = syn::ExprAwait {
        attrs: Vec::new(),
        base: Box::new(future.clone()),
        dot_token: Token![.](span),
        await_token: Token![await](span),
    };
    super::await_::settle(rw, &future, &awaited)
}

/// Whether `tokens` have a `return`, `?`, `break` or `continue` (at any
/// depth: conservative, a `break` of a loop inside a handler counts too).
fn leaves(tokens: &proc_macro2::TokenStream) -> bool {
    super::macros::any_token(tokens, &|tt| match tt {
        proc_macro2::TokenTree::Punct(p) => p.as_char() == '?',
        proc_macro2::TokenTree::Ident(i) => i == "return" || i == "break" || i == "continue",
        _ => false,
    })
}

/// The error for a `select!` whose handlers leave it, in a blocking twin.
fn select_error(rw: &mut Rewriter<'_>, mac: &Macro) {
    let name = mac.path.to_token_stream().to_string().replace(' ', "");
    let twin = &rw.twin.label;
    rw.errors.push(syn::Error::new_spanned(
        &mac.path,
        format!(
            "#[dual]: the blocking twin `{twin}` runs `{name}!` as one future (through \
             `block_on`), where a `return`, `?`, `break` or `continue` in its handlers would \
             leave that future, not `{twin}`\n\
             compute a value in the handlers and act on it after the `{name}!`, or keep it in \
             the async world: `#[only_async]` on this statement beside an `#[only_blocking]` \
             one, or `per_world!(async => .., blocking => ..)`"
        ),
    ));
}
