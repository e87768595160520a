//! The expression form of per-world code:
//! `per_world!(async => tokio_call().await, blocking => std_call())` becomes
//! its `async` arm in the async twin and its `blocking` arm in the blocking
//! twin. It is recognized by the last segment of the macro path
//! (`per_world!` and `twoworlds::per_world!` both work), in expression and
//! statement position and inside the arguments of other macros.

use super::World;
use crate::common::{Errors, nearest};
use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Token};

/// The form quoted in errors.
const FORM: &str = "`per_world!(async => .., blocking => ..)`";

/// Whether `mac` is a `per_world!` call.
pub(super) fn is_call(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|segment| segment.ident == "per_world")
}

/// Input: the arguments of `per_world!(async => a().await, blocking => b())`
/// and a world. Output: that world's arm (`b()` for the blocking twin). When
/// the arm is missing or malformed, the errors go to `errors` and the result
/// is the other arm, or `::core::unreachable!()` when there is none.
pub(super) fn choose(world: World, tokens: TokenStream, span: Span, errors: &mut Errors) -> Expr {
    let mut arms = Arms::default();
    let parser = |input: ParseStream<'_>| {
        arms.parse(input, errors);
        Ok(())
    };
    // The closure never fails: errors are recorded as it goes.
    let _ = parser.parse2(tokens);
    for (arm, name) in [(&arms.async_arm, "async"), (&arms.blocking_arm, "blocking")] {
        if arm.is_none() && !arms.malformed {
            errors.push(syn::Error::new(
                span,
                format!(
                    "`per_world!` needs an arm for each world, {FORM}: the `{name}` arm is missing"
                ),
            ));
        }
    }
    // With an arm missing, the other one stands in: it most likely has the
    // right type, so the error above is the only one.
    let (chosen, other) = match world {
        World::Async => (arms.async_arm, arms.blocking_arm),
        World::Blocking => (arms.blocking_arm, arms.async_arm),
    };
    chosen.or(other).unwrap_or_else(|| syn::parse_quote_spanned!(span=> ::core::unreachable!()))
}

/// The arms of one `per_world!` call.
#[derive(Default)]
struct Arms {
    /// `async => expr`.
    async_arm: Option<Expr>,
    /// `blocking => expr`.
    blocking_arm: Option<Expr>,
    /// Whether an arm could not be parsed (then a missing arm is not
    /// reported on top).
    malformed: bool,
}

impl Arms {
    /// Parses `world => expr, ..`, recording every error.
    fn parse(&mut self, input: ParseStream<'_>, errors: &mut Errors) {
        if input.is_empty() {
            errors
                .push(syn::Error::new(input.span(), format!("empty `per_world!()`: write {FORM}")));
            self.malformed = true;
        }
        while !input.is_empty() {
            if let Err(error) = self.parse_arm(input) {
                errors.push(error);
                self.malformed = true;
                skip_past_comma(input);
                continue;
            }
            if input.is_empty() {
                break;
            }
            if let Err(error) = input.parse::<Token![,]>() {
                errors.push(syn::Error::new(error.span(), format!("expected `,`: {FORM}")));
                self.malformed = true;
                skip_past_comma(input);
            }
        }
    }

    /// Parses one `world => expr`.
    fn parse_arm(&mut self, input: ParseStream<'_>) -> syn::Result<()> {
        let (slot, label_span, name) = if input.peek(Token![async]) {
            let token: Token![async] = input.parse()?;
            (&mut self.async_arm, token.span, "async")
        } else {
            let label: syn::Ident = input.parse().map_err(|error| {
                syn::Error::new(error.span(), format!("expected `async` or `blocking`: {FORM}"))
            })?;
            if label != "blocking" {
                let found = label.to_string();
                let near = nearest(&found, &["async", "blocking"])
                    .map(|near| format!("; did you mean `{near}`?"))
                    .unwrap_or_default();
                let message = format!(
                    "unknown world `{found}` in `per_world!`{near}\nvalid worlds: async, blocking ({FORM})"
                );
                return Err(syn::Error::new(label.span(), message));
            }
            (&mut self.blocking_arm, label.span(), "blocking")
        };
        if !input.peek(Token![=>]) {
            return Err(input.error(format!("expected `=>` after `{name}`: {FORM}")));
        }
        input.parse::<Token![=>]>()?;
        let expr: Expr = input.parse()?;
        if slot.is_some() {
            return Err(syn::Error::new(
                label_span,
                format!("duplicate `{name}` arm in `per_world!`: each world has one arm"),
            ));
        }
        *slot = Some(expr);
        Ok(())
    }
}

/// Skips token trees up to and including the next top-level `,`.
fn skip_past_comma(input: ParseStream<'_>) {
    while !input.is_empty() {
        if input.parse::<Token![,]>().is_ok() || input.parse::<TokenTree>().is_err() {
            return;
        }
    }
}

/// Input: the arguments of another macro, e.g. `"{}", per_world!(async =>
/// a().await, blocking => b())`. Output: the same with each `per_world!`
/// call (and its path prefix) replaced by the chosen arm in an invisible
/// group, which keeps its precedence: `"{}", «b()»`.
pub(super) fn in_tokens(world: World, stream: TokenStream, errors: &mut Errors) -> TokenStream {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len());
    let mut at = 0;
    while at < tokens.len() {
        if let Some((span, args)) = call_at(&tokens, at) {
            pop_path_prefix(&mut out);
            let arm = choose(world, args, span, errors).into_token_stream();
            let arm = in_tokens(world, arm, errors);
            let mut group = Group::new(Delimiter::None, arm);
            group.set_span(span);
            out.push(TokenTree::Group(group));
            at += 3;
            continue;
        }
        match &tokens[at] {
            TokenTree::Group(group) => {
                let mut new =
                    Group::new(group.delimiter(), in_tokens(world, group.stream(), errors));
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            other => out.push(other.clone()),
        }
        at += 1;
    }
    out.into_iter().collect()
}

/// The span of `per_world` and the arguments, if `tokens[at..]` is
/// `per_world ! (..)`.
fn call_at(tokens: &[TokenTree], at: usize) -> Option<(Span, TokenStream)> {
    match (tokens.get(at), tokens.get(at + 1), tokens.get(at + 2)) {
        (
            Some(TokenTree::Ident(name)),
            Some(TokenTree::Punct(bang)),
            Some(TokenTree::Group(args)),
        ) if name == "per_world" && bang.as_char() == '!' => Some((name.span(), args.stream())),
        _ => None,
    }
}

/// Removes a `path ::` (or a lone leading `::`) just before a `per_world`.
fn pop_path_prefix(out: &mut Vec<TokenTree>) {
    let is_colon = |token: Option<&TokenTree>| matches!(token, Some(TokenTree::Punct(punct)) if punct.as_char() == ':');
    while out.len() >= 2 && is_colon(out.last()) && is_colon(out.get(out.len() - 2)) {
        out.truncate(out.len() - 2);
        if matches!(out.last(), Some(TokenTree::Ident(_))) {
            out.pop();
        } else {
            break;
        }
    }
}

/// The error for a `per_world!` where no expression can stand (an item, a
/// type, a pattern), spanned on `span`.
pub(super) fn not_an_expression(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "`per_world!` picks between two expressions and cannot stand for an item, a type or a \
         pattern; mark the two versions with `#[only_async]` and `#[only_blocking]` instead",
    )
}
