//! Errors inside a blocking twin say that they are in the blocking twin.
//!
//! A twin's tokens are the original's, at the same places in the source: an
//! error rustc finds only in the twin would read as an error in the
//! original. So `#[dual]` emits each separately defined twin (a fn, the twin
//! methods of an impl, the blocking trait, the `blocking` module) as the
//! body of a `macro_rules!` macro of its own, defined in the user's crate
//! and invoked once, at once: `macro_rules! blocking_twin_7 { () => { twin
//! } } blocking_twin_7! {}`. rustc gives every token of an expansion a
//! context of that expansion, located where the token was written: an error
//! in the twin is reported at the same place with a note that it
//! "originates in the macro `blocking_twin_7`" and a label "in this macro
//! invocation" on the original's name (the invocation's tokens are located
//! there): the blocking twin of which item.
//!
//! Why a `macro_rules!` of the user's crate, not a proc macro re-spanning
//! the tokens: an expansion's tokens take the edition of the crate that
//! defines the macro, and editions change what code means (temporaries of a
//! tail expression, `if let` scrutinees, what `impl Trait` captures).
//! rustc expands a `macro_rules!` in the edition of its definition's span,
//! so the definition's own tokens are the user's (located at the original's
//! name, in the user's context): the twin means in every edition what it
//! meant unwrapped (tests/crates/dual-library, of edition 2021, probes it).
//! It also saves a second trip of every token across the proc-macro bridge.
//!
//! Hygiene holds because *every* token of the twin, signature and body, is
//! in the same expansion: locals, params and labels see each other as
//! before; items, types, fields and `crate`/`super` paths resolve at the
//! invocation, where they did (every form's integration tests build through
//! it). What `#[dual]` itself adds to a twin loses the hygiene that told it
//! from the user's code, so its locals are prefixed (`__twoworlds_runtime`).
//! A body run inline by a `#[dual]` future (trait impls) is not wrapped: it
//! uses the async fn's params, which are outside.
//!
//! Lints: code of a macro of the user's crate is linted, so each twin is
//! `#[allow(unused, nonstandard_style)]`: the original is linted as
//! written, and the twin would repeat its warnings, or add ones of code only
//! one world uses (an import, a param); other lints (clippy's) mostly skip
//! macro-expanded code. (A crate that `forbid`s those groups gets an error
//! for the `allow`.)
//!
//! A fn form's twin may be a method (`#[dual]` on one method of an impl),
//! and an impl cannot hold a `macro_rules!`: it is wrapped instead in a
//! hidden proc macro, `blocking_twin!` (in the `twoworlds-macros` shim),
//! that gives every token `Span::mixed_site()` located where it was written
//! ([`wrap_in_place`]). Same labels, and lints are not repeated (code of
//! another crate's macro is not linted); but such tokens take the proc
//! macro crate's edition (2024), so this is done only in a crate of that
//! edition (`super::edition`), elsewhere the twin keeps the spans of the
//! source and its errors read as the original's.
//!
//! Limits: a twin with a `$` token (a `macro_rules!` written in its body) is
//! not wrapped in a macro of its own, as a `$` in a macro body would be read
//! as the macro's own metavariable; its errors read as the original's. Each macro has a name
//! of its own (`blocking_twin_` and a number counted in the proc-macro
//! process): a macro-expanded `macro_rules!` may not shadow another.
//!
//! In the second stage of a blocking-only build (the shell version, see
//! `super::cfgs`) twins are not wrapped ([`plain_twins`]): the async
//! original is not compiled there (its body is a shell), so an error or a
//! lint in the twin is the only one that code gets, reported at the code
//! as written; and the wrapper was a sixth of such a build.
//!
//! Input: `fn blocking_f(x: u32) -> u32 { body }`, the span of `f`.
//! Output: `macro_rules! blocking_twin_7 { () => { fn blocking_f(..) .. } }
//! blocking_twin_7! {}` (the invocation located at `f`), expanding to the
//! same fn.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A twin as a macro of its own: where an item may be written, emit
/// `definition` then `invocation`; in an impl, the `definition` goes before
/// the impl and the `invocation` in it.
pub(crate) struct Wrapped {
    /// `macro_rules! blocking_twin_7 { () => { twin } }` (empty when the
    /// twin is not wrapped).
    pub(crate) definition: TokenStream,
    /// `blocking_twin_7! {}` (the twin itself when not wrapped).
    pub(crate) invocation: TokenStream,
}

impl ToTokens for Wrapped {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.definition.clone());
        tokens.extend(self.invocation.clone());
    }
}

/// The prefix of the macros' names.
const PREFIX: &str = "blocking_twin_";

/// `twin` (a whole item or associated item) as the body of a macro of its
/// own whose invocation is located at `original` (the name of the item it is
/// the twin of); see the module docs.
pub(crate) fn wrap(twin: &impl ToTokens, original: Span) -> Wrapped {
    /// The number of the next macro.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    // The original is linted as written; its twin, now code of a macro of
    // this crate, would repeat each warning (and add its own, of code only
    // one world uses: an import, a param).
    if PLAIN.get() {
        return Wrapped { definition: TokenStream::new(), invocation: twin.to_token_stream() };
    }
    let body = quote!(#[allow(unused, nonstandard_style)] #twin);
    if has_dollar(&body) {
        return Wrapped { definition: TokenStream::new(), invocation: body };
    }
    let number = NEXT.fetch_add(1, Ordering::Relaxed);
    // rustc gives a macro the edition of its definition's span: the tokens
    // of the definition are the user's (located at the original's name),
    // as is the name, which the invocation must see.
    let name = Ident::new(&format!("{PREFIX}{number}"), original);
    let mut arms = located(quote!(() =>), original);
    arms.extend([group(Delimiter::Brace, body, original)]);
    let mut definition = located(quote!(macro_rules! #name), original);
    definition.extend([group(Delimiter::Brace, arms, original)]);
    let mut invocation = located(quote!(#name!), original);
    invocation.extend([group(Delimiter::Brace, TokenStream::new(), original)]);
    Wrapped { definition, invocation }
}

/// A group of `stream` in `delimiter`, at `span`.
fn group(delimiter: Delimiter, stream: TokenStream, span: Span) -> TokenTree {
    let mut group = Group::new(delimiter, stream);
    group.set_span(span);
    TokenTree::Group(group)
}

/// `twin` (an item that may be a method) inside the `blocking_twin!`
/// invocation whose own tokens are located at `original`, in a crate of the
/// macros' edition; `twin` as it is elsewhere (see the module docs).
pub(crate) fn wrap_in_place(
    twin: &impl ToTokens,
    original: Span,
    krate: &syn::Path,
) -> TokenStream {
    if PLAIN.get() || !super::edition::same_edition() {
        return twin.to_token_stream();
    }
    let mut out = located(quote!(#krate::__private::blocking_twin!), original);
    out.extend([group(Delimiter::Brace, twin.to_token_stream(), original)]);
    out
}

std::thread_local! {
    /// Whether [`wrap`] leaves twins as they are, in the expansion running
    /// on this thread (see [`plain_twins`]). A thread-local rather than an
    /// argument: every form calls [`wrap`], and only the stage decides.
    static PLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the expansion running on this thread leaves twins unwrapped
/// (a shell stage, see [`plain_twins`]).
pub(crate) fn unwrapped() -> bool {
    PLAIN.get()
}

/// Runs `expand` with [`wrap`] leaving twins unwrapped when `plain` (the
/// shell version's expansion, see the module docs).
pub(crate) fn plain_twins<T>(plain: bool, expand: impl FnOnce() -> T) -> T {
    /// Puts the previous setting back, also if `expand` unwinds.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            PLAIN.set(self.0);
        }
    }
    let _restore = Restore(PLAIN.replace(plain));
    expand()
}

/// Whether `tokens` hold a `$` at any depth.
fn has_dollar(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        TokenTree::Punct(punct) => punct.as_char() == '$',
        TokenTree::Group(group) => has_dollar(&group.stream()),
        _ => false,
    })
}

/// `tokens` (no groups), each set at `span`.
fn located(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

/// Input: tokens with the definitions and invocations of [`wrap`] (at any
/// depth). Output: the same with each definition dropped and each
/// invocation replaced by its twin: what rustc sees once it expanded them
/// (the robustness harnesses check that).
#[must_use]
pub(crate) fn unwrap_all(tokens: TokenStream) -> TokenStream {
    let mut bodies = std::collections::HashMap::new();
    let without = take_definitions(tokens, &mut bodies);
    put_bodies(without, &bodies)
}

/// Removes each `macro_rules! blocking_twin_N { () => { body } }` from
/// `tokens` (at any depth), keeping its body by name.
fn take_definitions(
    tokens: TokenStream,
    bodies: &mut std::collections::HashMap<String, TokenStream>,
) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut index = 0;
    while index < tokens.len() {
        if let [
            TokenTree::Ident(kw),
            TokenTree::Punct(bang),
            TokenTree::Ident(name),
            TokenTree::Group(rules),
            ..,
        ] = &tokens[index..]
            && kw == "macro_rules"
            && bang.as_char() == '!'
            && name.to_string().starts_with(PREFIX)
            && let Some(TokenTree::Group(body)) = rules.stream().into_iter().last()
        {
            bodies.insert(name.to_string(), body.stream());
            index += 4;
            continue;
        }
        out.push(map_group(&tokens[index], |inner| take_definitions(inner, bodies)));
        index += 1;
    }
    out.into_iter().collect()
}

/// Replaces each `blocking_twin_N! {}` of `tokens` (at any depth) by its
/// body among `bodies`, and each `…::blocking_twin! { twin }` by `twin`,
/// themselves unwrapped.
fn put_bodies(
    tokens: TokenStream,
    bodies: &std::collections::HashMap<String, TokenStream>,
) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut index = 0;
    while index < tokens.len() {
        if let [TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(_), ..] =
            &tokens[index..]
            && bang.as_char() == '!'
            && let Some(body) = bodies.get(&name.to_string())
        {
            out.extend(put_bodies(body.clone(), bodies));
            index += 3;
            continue;
        }
        if let [TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(twin), ..] =
            &tokens[index..]
            && name == "blocking_twin"
            && bang.as_char() == '!'
        {
            // Drop the path before the name (`::twoworlds::__private::`):
            // what comes before it ends an item or attribute (`;`, a group).
            while matches!(out.last(), Some(TokenTree::Ident(_)))
                || matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            {
                out.pop();
            }
            out.extend(put_bodies(twin.stream(), bodies));
            index += 3;
            continue;
        }
        out.push(map_group(&tokens[index], |inner| put_bodies(inner, bodies)));
        index += 1;
    }
    out.into_iter().collect()
}

/// `token`, its stream mapped by `inner` if it is a group.
fn map_group(token: &TokenTree, inner: impl FnOnce(TokenStream) -> TokenStream) -> TokenTree {
    match token {
        TokenTree::Group(group) => {
            let mut mapped = Group::new(group.delimiter(), inner(group.stream()));
            mapped.set_span(group.span());
            TokenTree::Group(mapped)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_twin_unwraps_to_itself() {
        let twin: syn::ItemFn = syn::parse_quote!(
            fn blocking_f(x: u32) -> u32 {
                x + 1
            }
        );
        let wrapped = wrap(&twin, Span::call_site());
        let text = wrapped.to_token_stream().to_string();
        assert!(text.starts_with("macro_rules ! blocking_twin_"), "{text}");
        let (definition, invocation) = (&wrapped.definition, &wrapped.invocation);
        let around = quote!(struct A; #wrapped mod m { #definition impl S { #invocation } });
        let allowed = quote!(#[allow(unused, nonstandard_style)] #twin);
        let expected = quote!(struct A; #allowed mod m { impl S { #allowed } });
        assert_eq!(unwrap_all(around).to_string(), expected.to_string());
    }

    #[test]
    fn a_shell_stage_leaves_twins_unwrapped() {
        let twin: syn::ItemFn = syn::parse_quote!(
            fn blocking_f() {}
        );
        let krate: syn::Path = syn::parse_quote!(::twoworlds);
        let plain = plain_twins(true, || wrap(&twin, Span::call_site()).to_token_stream());
        assert_eq!(plain.to_string(), quote!(#twin).to_string());
        let in_place = plain_twins(true, || wrap_in_place(&twin, Span::call_site(), &krate));
        assert_eq!(in_place.to_string(), quote!(#twin).to_string());
        // Put back after.
        assert!(!wrap(&twin, Span::call_site()).definition.is_empty());
    }

    #[test]
    fn a_twin_wrapped_in_place_unwraps_to_itself() {
        let twin: syn::ImplItemFn = syn::parse_quote!(
            fn blocking_f(&self) {}
        );
        let krate: syn::Path = syn::parse_quote!(::twoworlds);
        let wrapped = quote!(#krate::__private::blocking_twin! { #twin });
        let around = quote!(impl S { #wrapped fn g() {} });
        let expected = quote!(impl S { #twin fn g() {} });
        assert_eq!(unwrap_all(around).to_string(), expected.to_string());
    }

    #[test]
    fn a_twin_with_a_dollar_is_not_wrapped() {
        let twin: syn::ItemFn = syn::parse_quote!(
            fn blocking_f() {
                macro_rules! m {
                    ($x:expr) => {
                        $x
                    };
                }
            }
        );
        let wrapped = wrap(&twin, Span::call_site());
        assert!(wrapped.definition.is_empty());
        let allowed = quote!(#[allow(unused, nonstandard_style)] #twin);
        assert_eq!(wrapped.invocation.to_string(), allowed.to_string());
    }

    #[test]
    fn each_wrapper_has_a_name_of_its_own() {
        let twin: syn::ItemFn = syn::parse_quote!(
            fn blocking_f() {}
        );
        let (a, b) = (wrap(&twin, Span::call_site()), wrap(&twin, Span::call_site()));
        assert_ne!(a.definition.to_string(), b.definition.to_string());
    }
}
