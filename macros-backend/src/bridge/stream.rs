//! Streams and iterators: a fn returning `impl Stream<Item = T>` (async or
//! not) belongs to the async world, and its blocking twin returns
//! `impl Iterator<Item = T>`; a sync fn returning `impl Iterator<Item = T>`
//! gets an async twin returning `impl Stream<Item = T>` whose items are
//! produced on the pool. This module recognises those return types and
//! builds the twin's.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::spanned::Spanned as _;
use syn::{GenericArgument, PathArguments, ReturnType, Type, TypeImplTrait, TypeParamBound};

/// Which lazy sequence a fn returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `impl Stream<Item = T>`: async world.
    Stream,
    /// `impl Iterator<Item = T>`: sync world.
    Iterator,
}

/// The traits that make a return type a stream or an iterator, by the last
/// segment of their path (`futures::Stream`, `futures_core::Stream`, ...).
const STREAMS: &[&str] = &["Stream", "FusedStream"];
/// See [`STREAMS`].
const ITERATORS: &[&str] =
    &["Iterator", "DoubleEndedIterator", "ExactSizeIterator", "FusedIterator"];
/// Auto traits the blocking twin's iterator has whenever the stream has them.
const MARKERS: &[&str] = &["Send", "Sync", "Unpin"];

/// A stream or iterator return type, as its twin needs it.
pub(super) struct Streamed {
    /// Which it is.
    pub(super) kind: Kind,
    /// The `Item` type.
    pub(super) item: Type,
    /// The span of `impl`, whose edition decides what the twin's
    /// `impl Trait` captures (the same as the original's).
    pub(super) impl_span: Span,
    /// Bounds the blocking twin's iterator keeps: lifetimes, `use<..>`,
    /// `Send`/`Sync`/`Unpin`.
    pub(super) kept: Vec<TypeParamBound>,
    /// The stream was a `FusedStream` (the iterator is always fused).
    pub(super) fused: bool,
}

/// Whether `output` is `impl Stream<..> + ..` or `impl Iterator<..> + ..`.
pub(super) fn kind(output: &ReturnType) -> Option<Kind> {
    let bounds = impl_trait(output)?;
    let names = || bounds.bounds.iter().filter_map(trait_name);
    if names().any(|name| STREAMS.contains(&name.as_str())) {
        Some(Kind::Stream)
    } else if names().any(|name| ITERATORS.contains(&name.as_str())) {
        Some(Kind::Iterator)
    } else {
        None
    }
}

/// The plan for the twin of `name`, whose output is of kind `kind`; errors
/// spanned on what the twin can't carry over.
pub(super) fn plan(output: &ReturnType, kind: Kind, name: &syn::Ident) -> syn::Result<Streamed> {
    let Some(bounds) = impl_trait(output) else {
        return Err(syn::Error::new(output.span(), "expected `impl Stream` or `impl Iterator`"));
    };
    let mut item = None;
    let mut kept = Vec::new();
    let mut fused = false;
    let mut errors: Option<syn::Error> = None;
    let (own, other, what) = match kind {
        Kind::Stream => (STREAMS, ITERATORS, "stream"),
        Kind::Iterator => (ITERATORS, STREAMS, "iterator"),
    };
    for bound in &bounds.bounds {
        let trait_name = trait_name(bound);
        let problem = match (trait_name.as_deref(), bound) {
            (Some(trait_name), TypeParamBound::Trait(t)) if own.contains(&trait_name) => {
                fused |= trait_name == "FusedStream";
                if let Some(found) = item_type(&t.path) {
                    item = Some(found.clone());
                }
                None
            }
            (Some(trait_name), _) if other.contains(&trait_name) => Some(format!(
                "`{name}` returns both a stream and an iterator; #[bridge] can't tell which \
                 world it is in: return one of them"
            )),
            (Some(trait_name), _) if MARKERS.contains(&trait_name) => {
                kept.push(bound.clone());
                None
            }
            (None, TypeParamBound::Lifetime(_) | TypeParamBound::PreciseCapture(_)) => {
                kept.push(bound.clone());
                None
            }
            _ => Some(unsupported_bound(bound, kind, name, what)),
        };
        if let Some(message) = problem {
            combine(&mut errors, syn::Error::new(bound.span(), message));
        }
    }
    let Some(item) = item else {
        let trait_span = bounds.bounds.first().map_or_else(|| bounds.span(), TypeParamBound::span);
        combine(
            &mut errors,
            syn::Error::new(
                trait_span,
                format!(
                    "#[bridge] needs the item type of the {what} `{name}` returns, to name it \
                     in the twin: write `impl {}<Item = T>`",
                    if kind == Kind::Stream { "Stream" } else { "Iterator" }
                ),
            ),
        );
        return Err(errors.unwrap_or_else(|| syn::Error::new(Span::call_site(), "no item type")));
    };
    if let Some(errors) = errors {
        return Err(errors);
    }
    Ok(Streamed { kind, item, impl_span: bounds.impl_token.span, kept, fused })
}

/// The message for a bound of the returned stream or iterator that the
/// twin's iterator or stream can't have.
fn unsupported_bound(bound: &TypeParamBound, kind: Kind, name: &syn::Ident, what: &str) -> String {
    let written = quote::ToTokens::to_token_stream(bound).to_string();
    let (twin, keep) = match kind {
        Kind::Stream => (
            "the blocking twin's iterator",
            "`Stream<Item = T>` with `Send`, `Sync`, `Unpin` and lifetimes",
        ),
        Kind::Iterator => (
            "the async twin's stream (always `Send + Unpin + 'static`)",
            "`Iterator<Item = T>` with `Send`, `Sync`, `Unpin` and `'static`",
        ),
    };
    format!(
        "#[bridge] can't give {twin} the bound `{written}` of the {what} `{name}` returns\n\
         help: keep to {keep}, or leave `{name}` without a twin (remove #[bridge], or \
         `#[bridge(skip)]` on a method)"
    )
}

/// What the async twin of an iterator fn needs to know about its inputs.
pub(super) struct Inputs {
    /// A `&self` or `&T` argument is passed as an owned copy, which the
    /// iterator, made on the pool, must not borrow.
    pub(super) borrowed: bool,
    /// `thread_sensitive` was asked for.
    pub(super) thread_sensitive: bool,
    /// Where the fn lives.
    pub(super) home: super::ir::Home,
}

/// Errors for an iterator fn whose async twin can't be made: a
/// thread-sensitive iterator, or borrowed inputs the iterator's type may
/// capture (its twin calls it on the pool, with owned copies that live only
/// as long as that call).
pub(super) fn check_async_twin(
    streamed: &Streamed,
    inputs: &Inputs,
    sig: &syn::Signature,
    twin: &syn::Ident,
) -> syn::Result<()> {
    let name = &sig.ident;
    let help = "leave it without a twin (`#[bridge(skip)]` in an impl or trait)";
    let message = if inputs.thread_sensitive {
        format!(
            "`{name}` returns an iterator, which its async twin `{twin}` runs on the pool as a \
             stream; a thread-sensitive iterator is not supported\nhelp: drop \
             `thread_sensitive` for this fn, or {help}"
        )
    } else if inputs.borrowed && matches!(inputs.home, super::ir::Home::Trait) {
        format!(
            "`{name}` returns an iterator and borrows its inputs: its async twin `{twin}` calls \
             it on a pool thread with owned copies, and in a trait the iterator's type always \
             captures their lifetimes, so it can't outlive the call\nhelp: take `self` and \
             the arguments by value, or {help}"
        )
    } else if inputs.borrowed
        && !streamed.kept.iter().any(|bound| matches!(bound, TypeParamBound::PreciseCapture(_)))
    {
        format!(
            "`{name}` returns an iterator and borrows its inputs: its async twin `{twin}` calls \
             it on a pool thread with owned copies of them, so the iterator's type must not \
             capture their lifetimes (edition 2024 captures them all)\nhelp: add `+ use<..>` \
             to the return type, naming only the type parameters it needs (`+ use<>` when \
             none), or take the arguments by value, or {help}"
        )
    } else {
        return Ok(());
    };
    Err(syn::Error::new_spanned(&sig.output, message))
}

/// The twin's return type: `impl Iterator<Item = T> + kept` for a stream,
/// `impl Stream<Item = T> + Send + 'static` for an iterator.
pub(super) fn twin_output(streamed: &Streamed, private: &TokenStream) -> TokenStream {
    let Streamed { item, impl_span, kept, fused, .. } = streamed;
    match streamed.kind {
        Kind::Stream => {
            let fused = fused.then(|| quote_spanned!(*impl_span=> + ::core::iter::FusedIterator));
            quote_spanned! {*impl_span=>
                impl ::core::iter::Iterator<Item = #item> #fused #(+ #kept)*
            }
        }
        Kind::Iterator => quote_spanned! {*impl_span=>
            impl #private::Stream<Item = #item> + ::core::marker::Send + 'static
        },
    }
}

/// The second half of the first doc line of an iterator fn's async twin.
pub(super) const ASYNC_HOW: &str = "runs it on a pool thread and yields its items as a stream, \
    produced on the pool ahead of the consumer (batched, with back-pressure, stopped when the \
    stream is dropped). Arguments are made owned before the stream is built, so the stream is \
    `Send + 'static`.";

/// The second half of a blocking twin's first doc line.
pub(super) fn blocking_how(twin: &super::ir::Twin) -> &'static str {
    if twin.stream.is_none() {
        "runs it to completion on the calling thread."
    } else if twin.original_async {
        "runs it to completion on the calling thread, and each `next` of the iterator waits \
         there for the stream's next item."
    } else {
        "each `next` of the iterator waits on the calling thread for the stream's next item."
    }
}

/// The `impl Trait` that `output` is (through parentheses), if it is one.
fn impl_trait(output: &ReturnType) -> Option<&TypeImplTrait> {
    let ReturnType::Type(_, ty) = output else { return None };
    let mut ty = &**ty;
    loop {
        match ty {
            Type::Paren(inner) => ty = &inner.elem,
            Type::Group(inner) => ty = &inner.elem,
            Type::ImplTrait(bounds) => return Some(bounds),
            _ => return None,
        }
    }
}

/// The last segment of a trait bound's path (`Stream` for `futures::Stream<..>`).
fn trait_name(bound: &TypeParamBound) -> Option<String> {
    match bound {
        TypeParamBound::Trait(t) => t.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` in `Stream<Item = T>`.
fn item_type(path: &syn::Path) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::AssocType(assoc) if assoc.ident == "Item" => Some(&assoc.ty),
        _ => None,
    })
}

/// Adds `error` to the errors so far.
fn combine(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(all) => all.combine(error),
        None => *errors = Some(error),
    }
}
