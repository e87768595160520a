//! The shape of a watched async fn. Where it can, the macros desugar
//! `async fn` into a plain fn that returns the watched `async move` block,
//! the way rustc desugars `async fn` itself: one state machine per fn. The
//! other shape — keeping `async fn` and awaiting the watched block inside it —
//! makes rustc build, check and code-generate a second state machine and an
//! `.await` per fn, which doubled the build time of a crate of `#[dual]` fns
//! (`benches/build_time.sh`: 200 fns, 1.47 s nested vs 0.60 s desugared,
//! handwritten async + sync pairs 0.52 s).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Attribute, FnArg, Pat, Signature};

/// What [`desugar_async_fn`] gives back beside the rewritten signature.
pub(crate) struct DesugaredArgs {
    /// The statements that open the future's body and move every argument
    /// into it: `let _ = &self; let a = a; let mut b = b; let (c, d) = __arg2;`.
    pub(crate) moves: TokenStream,
    /// The arguments, as a call of a fn with the same signature passes them:
    /// `self`, `a`, `b`, `__arg2`.
    pub(crate) call_args: Vec<TokenStream>,
    /// The async fn's own output type (`-> R`), before the desugaring.
    pub(crate) output: syn::ReturnType,
}

// Input:  `async fn name<G>(self?, a: A, mut b: B, (c, d): P) -> R where W`.
// Output: `fn name<G>(self?, a: A, b: B, __arg2: P) -> impl Future<Output = R> where W`,
//         and the statements that open the async block:
//         `let _ = &self; let a = a; let mut b = b; let (c, d) = __arg2;`
//         (the pattern argument only when `patterns`: else `None`).
/// Turns `sig` into the signature of a fn returning the async fn's future,
/// and returns the statements that move every argument into that future
/// (as `async fn` does: an argument the body never uses still lives, and is
/// dropped, with the future). `None`, with `sig` untouched, when the fn has
/// an attribute that is not one of rustc's inert ones ([`is_inert`]): an
/// attribute macro after ours, such as `#[tokio::test]` or
/// `#[tracing::instrument]`, expects an `async fn`; and, unless `patterns`,
/// when an argument is a pattern other than a plain name (`_`, `(a, b)`,
/// `ref x`) or the receiver is `mut self`. Those keep the nested shape,
/// whose signature stays exactly as written.
pub(crate) fn desugar_async_fn(
    attrs: &[Attribute],
    sig: &mut Signature,
    patterns: bool,
) -> Option<DesugaredArgs> {
    let plain = patterns || sig.inputs.iter().all(is_plain);
    if sig.asyncness.is_none() || !plain || !attrs.iter().all(is_inert) {
        return None;
    }
    let mut moves = TokenStream::new();
    let mut call_args = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                let token = receiver.self_token;
                moves.extend(quote!(let _ = &#token;));
                call_args.push(quote!(#token));
            }
            FnArg::Typed(typed) => match &mut *typed.pat {
                Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                    let mutability = pat.mutability.take();
                    let name = &pat.ident;
                    // `_guard` is meant to be unused: the move is no use of it.
                    // (The name keeps the user's span, so hygiene inside a
                    // `macro_rules!` and `unused_variables` work as for the fn.)
                    if name.to_string().starts_with('_') {
                        moves.extend(quote!(#[allow(clippy::used_underscore_binding)]));
                    }
                    moves.extend(quote!(let #mutability #name = #name;));
                    call_args.push(quote!(#name));
                }
                pattern => {
                    let name = format_ident!("__arg{}", index, span = Span::mixed_site());
                    let pattern = std::mem::replace(pattern, syn::parse_quote!(#name));
                    // Moved in under its own name first, so that what the
                    // pattern leaves (`_`, `(a, _)`) lives with the future.
                    moves.extend(quote!(let #name = #name; let #pattern = #name;));
                    call_args.push(quote!(#name));
                }
            },
        }
    }
    sig.asyncness = None;
    crate::common::elided::name_in_impl_args(sig);
    let output = sig.output.clone();
    sig.output = future_output(&sig.output);
    Some(DesugaredArgs { moves, call_args, output })
}

/// Whether `attr` is a built-in attribute that means the same on `async fn`
/// and on the desugared fn. Not `must_use`: on an `async fn` it applies to
/// the output too.
pub(crate) fn is_inert(attr: &Attribute) -> bool {
    const INERT: &[&str] = &[
        "doc",
        "cfg",
        "allow",
        "warn",
        "deny",
        "forbid",
        "expect",
        "inline",
        "cold",
        "deprecated",
    ];
    let path = attr.path();
    let tool = path.segments.len() == 2
        && path.segments.first().is_some_and(|s| s.ident == "rustfmt" || s.ident == "clippy");
    tool || INERT.iter().any(|name| path.is_ident(name))
}

/// Whether `input` can be moved into the future under its own name.
fn is_plain(input: &FnArg) -> bool {
    match input {
        // `mutability` is the binding's (`mut self`), not `&mut self`'s.
        FnArg::Receiver(receiver) => receiver.mutability.is_none(),
        FnArg::Typed(typed) => {
            matches!(&*typed.pat, Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none())
        }
    }
}

/// `-> impl Future<Output = R>` for an async fn returning `R` (`()` when it
/// declares none).
///
/// The `impl` is spanned at the macro's own site, whose edition (2024) makes
/// the opaque type capture every lifetime in scope, as `async fn` does, also
/// in a 2021-edition crate: there an `impl Trait` spanned at the call site
/// would capture none of the elided argument lifetimes (`&self`, `&str`) and
/// the fn would not compile.
fn future_output(output: &syn::ReturnType) -> syn::ReturnType {
    let out = match output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, ty) => quote!(#ty),
    };
    let site = Span::mixed_site();
    let ty = quote_spanned!(site=> impl ::core::future::Future<Output = #out>);
    syn::ReturnType::Type(syn::Token![->](site), Box::new(syn::Type::Verbatim(ty)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    /// The desugared signature and the moves, as strings.
    fn desugared(sig: &str) -> Option<(String, String)> {
        let mut sig: Signature = syn::parse_str(sig).unwrap();
        let args = desugar_async_fn(&[], &mut sig, false)?;
        Some((sig.into_token_stream().to_string(), args.moves.to_string()))
    }

    #[test]
    fn plain_arguments_move_into_the_future_under_their_names() {
        let (sig, moves) = desugared("async fn f(&self, a: &str, mut b: Vec<u8>) -> u8").unwrap();
        assert_eq!(
            sig,
            "fn f (& self , a : & str , b : Vec < u8 >) \
             -> impl :: core :: future :: Future < Output = u8 >"
        );
        assert_eq!(moves, "let _ = & self ; let a = a ; let mut b = b ;");
    }

    #[test]
    fn unit_output_and_owned_receiver() {
        let (sig, moves) = desugared("async fn f(self: Box<Self>)").unwrap();
        assert!(sig.ends_with("Future < Output = () >"), "{sig}");
        assert_eq!(moves, "let _ = & self ;");
    }

    #[test]
    fn patterns_and_mut_self_keep_the_nested_shape() {
        for sig in [
            "async fn f(_: u8)",
            "async fn f((a, b): (u8, u8))",
            "async fn f(ref a: u8)",
            "async fn f(a @ 1..=2: u8)",
            "async fn f(mut self)",
            "fn f(a: u8)",
        ] {
            assert!(desugared(sig).is_none(), "{sig}");
        }
    }

    #[test]
    fn with_patterns_every_argument_is_named_and_destructured_in_the_future() {
        let mut sig: Signature =
            syn::parse_str("async fn f(mut self, (a, b): (u8, u8), _: G)").unwrap();
        let args = desugar_async_fn(&[], &mut sig, true).unwrap();
        let sig = sig.into_token_stream().to_string();
        assert!(sig.starts_with("fn f (mut self , __arg1 : (u8 , u8) , __arg2 : G)"), "{sig}");
        assert_eq!(
            args.moves.to_string(),
            "let _ = & self ; let __arg1 = __arg1 ; let (a , b) = __arg1 ; \
             let __arg2 = __arg2 ; let _ = __arg2 ;"
        );
        let call: Vec<String> = args.call_args.iter().map(ToString::to_string).collect();
        assert_eq!(call, ["self", "__arg1", "__arg2"]);
    }

    #[test]
    fn only_inert_attributes_let_it_desugar() {
        let desugars = |attr: TokenStream| {
            let attrs = [syn::parse_quote!(#attr)];
            let mut sig: Signature = syn::parse_quote!(async fn f(a: u8));
            desugar_async_fn(&attrs, &mut sig, false).is_some()
        };
        assert!(desugars(quote!(#[doc = "x"])));
        assert!(desugars(quote!(#[cfg(unix)])));
        assert!(desugars(quote!(#[allow(clippy::pedantic)])));
        assert!(desugars(quote!(#[rustfmt::skip])));
        assert!(!desugars(quote!(#[tokio::test])));
        assert!(!desugars(quote!(#[instrument])));
        assert!(!desugars(quote!(#[must_use])));
        assert!(!desugars(quote!(#[cfg_attr(test, tokio::test)])));
    }
}
