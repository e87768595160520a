//! `.await` (and `async`) inside macro arguments.
//!
//! Input: `println!("{}", f().await)`, `assert_eq!(g(x).await, 1)`,
//! `vec![h().await; n]`, `matches!(f().await, Some(_))`.
//! Output: the same macro with its arguments rewritten like any expression.
//!
//! A macro's tokens are only touched when they contain `.await` or `async`.
//! They are re-parsed as comma-separated expressions (which covers the
//! format macros, `assert*!`, `vec!`, `write!`, `dbg!`), as `expr; expr`
//! (`vec![x; n]`), or as one expression followed by anything (`matches!`).
//! When none fits, the macro is left as written and an error says why.

use super::Rewriter;
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens as _, quote};
use syn::parse::{ParseStream, Parser as _};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut as _;
use syn::{Expr, Macro, Token};

/// Rewrites the arguments of `mac` when they contain `.await` or `async`.
pub(super) fn rewrite(rw: &mut Rewriter<'_>, mac: &mut Macro) {
    if !needs_rewrite(&mac.tokens) {
        return;
    }
    if is_generator(mac) {
        generator_body(rw, mac);
        return;
    }
    let tokens = mac.tokens.clone();
    let rewritten = comma_separated(rw, tokens.clone())
        .or_else(|| repeat(rw, tokens.clone()))
        .or_else(|| first_then_rest(rw, tokens));
    if let Some(tokens) = rewritten {
        mac.tokens = tokens;
    } else {
        let name = mac.path.to_token_stream().to_string().replace(' ', "");
        rw.errors.push(syn::Error::new_spanned(
            &*mac,
            format!(
                "#[dual] cannot rewrite `.await` inside `{name}!`: its arguments are not \
                 expressions it can parse\n\
                 move the awaited value into a `let` before the macro call"
            ),
        ));
    }
}

/// Whether `mac` is `async-stream`'s `stream!` / `try_stream!`, whose body
/// is statements with `yield`s.
fn is_generator(mac: &Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| s.ident == "stream" || s.ident == "try_stream")
}

// Input: `stream! { let x = f().await; yield x; }`.
// Output: the same generator with its body's `.await`s settled: it never
// waits, so the twin's iterator pulls each item in one poll.
/// Rewrites the body of a `stream!` / `try_stream!` (see above); a body
/// that does not parse as statements is left alone and reported.
fn generator_body(rw: &mut Rewriter<'_>, mac: &mut Macro) {
    let Ok(mut stmts) = syn::Block::parse_within.parse2(mac.tokens.clone()) else {
        let name = mac.path.to_token_stream().to_string().replace(' ', "");
        rw.errors.push(syn::Error::new_spanned(
            &*mac,
            format!(
                "#[dual] cannot rewrite the body of `{name}!` for the blocking twin: it does not \
                 parse as statements (`for await` is not supported; use \
                 `while let Some(x) = s.next().await`)"
            ),
        ));
        return;
    };
    let mut block = syn::Block { brace_token: syn::token::Brace::default(), stmts: Vec::new() };
    block.stmts.append(&mut stmts);
    rw.visit_block_mut(&mut block);
    let stmts = &block.stmts;
    mac.tokens = quote!(#(#stmts)*);
}

/// Whether `tokens` contain `.await` or the `async` keyword (at any depth).
fn needs_rewrite(tokens: &TokenStream) -> bool {
    any_token(tokens, &|tt| matches!(tt, TokenTree::Ident(i) if i == "await" || i == "async"))
}

/// Whether any token of `tokens`, at any depth, satisfies `pred`.
pub(super) fn any_token(tokens: &TokenStream, pred: &dyn Fn(&TokenTree) -> bool) -> bool {
    tokens.clone().into_iter().any(|tt| match &tt {
        TokenTree::Group(group) => any_token(&group.stream(), pred),
        other => pred(other),
    })
}

/// Input: `a, b.await, c = d.await`. Output: the rewritten expressions, comma-separated.
fn comma_separated(rw: &mut Rewriter<'_>, tokens: TokenStream) -> Option<TokenStream> {
    let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
    let mut exprs = parser.parse2(tokens).ok()?;
    for expr in &mut exprs {
        rw.visit_expr_mut(expr);
    }
    Some(exprs.into_token_stream())
}

/// Input: `x.await; n` (`vec!`). Output: the rewritten `x; n`.
fn repeat(rw: &mut Rewriter<'_>, tokens: TokenStream) -> Option<TokenStream> {
    let parser = |input: ParseStream<'_>| {
        let value: Expr = input.parse()?;
        let semi: Token![;] = input.parse()?;
        let count: Expr = input.parse()?;
        Ok((value, semi, count))
    };
    let (mut value, semi, mut count) = parser.parse2(tokens).ok()?;
    rw.visit_expr_mut(&mut value);
    rw.visit_expr_mut(&mut count);
    Some(quote!(#value #semi #count))
}

/// Input: `f().await, <anything without .await>` (`matches!`).
/// Output: the first expression rewritten, the rest as written.
fn first_then_rest(rw: &mut Rewriter<'_>, tokens: TokenStream) -> Option<TokenStream> {
    let parser = |input: ParseStream<'_>| {
        let first: Expr = input.parse()?;
        let comma: Token![,] = input.parse()?;
        let rest: TokenStream = input.parse()?;
        Ok((first, comma, rest))
    };
    let (mut first, comma, rest) = parser.parse2(tokens).ok()?;
    if needs_rewrite(&rest) {
        return None;
    }
    rw.visit_expr_mut(&mut first);
    Some(quote!(#first #comma #rest))
}
