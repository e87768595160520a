//! The typed description of one twin, between analysing the original's
//! signature (`lower`) and printing the twin (`emit`).

use proc_macro2::{Span, TokenStream};
use syn::{Attribute, Generics, Ident, Lifetime, ReturnType, Type, Visibility};

/// Which world the twin serves.
pub(super) enum Direction {
    /// The original is `async`; the twin is a sync fn that blocks on it.
    Blocking,
    /// The original is sync; the twin returns a future that runs it on a
    /// pool thread (or the thread-sensitive executor).
    Async {
        /// Whether `#[bridge(thread_sensitive)]` asked for the
        /// thread-sensitive executor.
        thread_sensitive: bool,
    },
}

/// Where the original lives, which decides how the twin calls it.
#[derive(Clone, Copy)]
pub(super) enum Home {
    /// A free function, called by its name.
    Free,
    /// An inherent `impl` block, called as `Self::name`.
    Impl,
    /// A trait definition: the twin is a provided method, called as
    /// `Self::name`.
    Trait,
}

/// The twin's `self` parameter, if any.
pub(super) enum Recv {
    /// `&self` / `&'a self` (or `self: &Self`).
    Ref {
        /// The lifetime written on the reference, if any.
        lifetime: Option<Lifetime>,
        /// Where `self` was written, for spans.
        span: Span,
    },
    /// `&mut self`: kept as is in a blocking twin.
    RefMut {
        /// The lifetime written on the reference, if any.
        lifetime: Option<Lifetime>,
        /// Where `self` was written, for spans.
        span: Span,
    },
    /// `self` / `mut self`: moved.
    Value {
        /// Where `self` was written, for spans.
        span: Span,
    },
    /// `self: Box<Self>` and other typed receivers: moved.
    Typed(Box<Type>),
}

/// How an argument reaches the original from the twin.
pub(super) enum Pass {
    /// Passed on as is (every argument of a blocking twin; owned arguments of
    /// an async twin, which must be `Send + 'static`).
    Move,
    /// `&T` into an async twin: made owned with `ToOwned::to_owned` before
    /// the future is built, and re-borrowed on the pool thread.
    ToOwned,
}

/// One non-`self` argument of the twin.
pub(super) struct Arg {
    /// The name the twin binds it to (the user's when it was a plain
    /// identifier, otherwise a fresh one).
    pub(super) name: Ident,
    /// Its type in the twin's signature.
    pub(super) ty: Type,
    /// How it reaches the original.
    pub(super) pass: Pass,
}

/// Everything needed to print one twin.
pub(super) struct Twin {
    /// The original's attributes the twin carries (docs, `cfg`, lints).
    pub(super) attrs: Vec<Attribute>,
    /// The original's visibility (ignored in a trait).
    pub(super) vis: Visibility,
    /// `unsafe` when the original is.
    pub(super) unsafety: Option<syn::Token![unsafe]>,
    /// The original's name.
    pub(super) original: Ident,
    /// The twin's name.
    pub(super) ident: Ident,
    /// The twin's name as the runtime reports it (`Client::blocking_fetch`).
    pub(super) label: String,
    /// The original's generics and where-clause (the twin adds bounds).
    pub(super) generics: Generics,
    /// The `self` parameter, if any.
    pub(super) receiver: Option<Recv>,
    /// The other arguments, in order.
    pub(super) args: Vec<Arg>,
    /// The original's return type.
    pub(super) output: ReturnType,
    /// Which world the twin serves.
    pub(super) direction: Direction,
    /// Where the original lives.
    pub(super) home: Home,
    /// The type parameters of the enclosing impl or trait, which must be
    /// `Send + 'static` for the async twin's future to be.
    pub(super) outer_params: Vec<Ident>,
    /// The path of the runtime's private items (`::twoworlds::__private`).
    pub(super) private: TokenStream,
    /// Whether the original is an `async fn` (a fn returning a stream may
    /// not be, and still gets a blocking twin).
    pub(super) original_async: bool,
    /// The original returns a stream (blocking twin: an iterator) or an
    /// iterator (async twin: a stream).
    pub(super) stream: Option<super::stream::Streamed>,
}
