//! Parsing of the options of `#[bridge(..)]`, both on the item and on a method
//! inside a bridged `impl` or `trait`. Every bad option is recorded in
//! [`Errors`] and parsing goes on, so all of them are reported together.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser as _;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Expr, Ident, Lit, Meta, Path, Token};

use crate::common::{Errors, unknown_option};

/// The option names `#[bridge]` accepts, in the order error messages list them.
pub(super) const VALID: &[&str] = &[
    "blocking",
    "async_name",
    "crate",
    "thread_sensitive",
    "skip",
    "allow_blocking",
    "blocking_cfg",
    "async_cfg",
];

/// The options of one `#[bridge(..)]` attribute, as written.
#[derive(Default)]
pub(super) struct Options {
    /// `blocking = name`: the name of the blocking twin of an async fn.
    pub(super) blocking: Option<Ident>,
    /// `async_name = name`: the name of the async twin of a sync fn.
    pub(super) async_name: Option<Ident>,
    /// `crate = path`: where the `twoworlds` facade lives, for re-exporters.
    pub(super) krate: Option<Path>,
    /// `thread_sensitive`: run the async twin on the thread-sensitive executor.
    pub(super) thread_sensitive: Option<Span>,
    /// `skip`: leave this method without a twin.
    pub(super) skip: Option<Span>,
    /// `thread_sensitive` set on the enclosing impl or trait: applies to its
    /// sync methods, and is no error on its async ones.
    pub(super) inherited_thread_sensitive: bool,
    /// `allow_blocking`: no blocking-call warnings in this async fn's body.
    pub(super) allow_blocking: Option<Span>,
    /// `allow_blocking` set on the enclosing impl or trait: applies to its
    /// async methods, and is no error on its sync ones.
    pub(super) inherited_allow_blocking: bool,
    /// `blocking_cfg(predicate)`: the blocking twins only under this cfg.
    pub(super) blocking_cfg: Option<TokenStream>,
    /// `async_cfg(predicate)`: the async twins only under this cfg.
    pub(super) async_cfg: Option<TokenStream>,
}

impl Options {
    /// The options of `outer` (the item's attribute) overridden by `self` (a
    /// method's own attribute) where the method sets them.
    pub(super) fn over(self, outer: &Options) -> Options {
        Options {
            blocking: self.blocking,
            async_name: self.async_name,
            krate: self.krate.or_else(|| outer.krate.clone()),
            thread_sensitive: self.thread_sensitive,
            skip: self.skip,
            inherited_thread_sensitive: outer.thread_sensitive.is_some(),
            allow_blocking: self.allow_blocking,
            inherited_allow_blocking: outer.allow_blocking.is_some(),
            blocking_cfg: self.blocking_cfg.or_else(|| outer.blocking_cfg.clone()),
            async_cfg: self.async_cfg.or_else(|| outer.async_cfg.clone()),
        }
    }

    /// Which blocking calls of an async body the lint lets through.
    pub(super) fn allow(&self) -> crate::lint::Allow {
        if self.allow_blocking.is_some() || self.inherited_allow_blocking {
            crate::lint::Allow::ALL
        } else {
            crate::lint::Allow::NONE
        }
    }

    /// The path generated code uses to reach the runtime's private items.
    pub(super) fn private_path(&self) -> TokenStream {
        if let Some(path) = &self.krate {
            quote::quote!(#path::__private)
        } else {
            quote::quote!(::twoworlds::__private)
        }
    }
}

/// Parses the comma-separated options in `tokens`, recording every problem in
/// `errors` and keeping the options that were fine.
pub(super) fn parse(tokens: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    let parser = Punctuated::<Meta, Token![,]>::parse_terminated;
    let Some(metas) = errors.take(parser.parse2(tokens)) else {
        return options;
    };
    for meta in metas {
        apply(&mut options, &meta, errors);
    }
    options
}

/// Records one option in `options`, or its error in `errors`.
fn apply(options: &mut Options, meta: &Meta, errors: &mut Errors) {
    let path = meta.path();
    let name = path.get_ident().map_or_else(
        || path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"),
        ToString::to_string,
    );
    let result = match name.as_str() {
        "blocking" => name_value(meta, "blocking")
            .and_then(|e| set(&mut options.blocking, expr_ident(e)?, meta)),
        "async_name" => name_value(meta, "async_name")
            .and_then(|e| set(&mut options.async_name, expr_ident(e)?, meta)),
        "crate" => {
            name_value(meta, "crate").and_then(|e| set(&mut options.krate, expr_path(e)?, meta))
        }
        "thread_sensitive" => {
            flag(meta).and_then(|span| set(&mut options.thread_sensitive, span, meta))
        }
        "skip" => flag(meta).and_then(|span| set(&mut options.skip, span, meta)),
        "allow_blocking" => {
            flag(meta).and_then(|span| set(&mut options.allow_blocking, span, meta))
        }
        "blocking_cfg" => cfg_predicate(meta).and_then(|p| set(&mut options.blocking_cfg, p, meta)),
        "async_cfg" => cfg_predicate(meta).and_then(|p| set(&mut options.async_cfg, p, meta)),
        _ => Err(unknown_option("bridge", &name, path.span(), VALID)),
    };
    errors.take(result);
}

/// Stores `value` in an option slot that must not already be set.
fn set<T>(slot: &mut Option<T>, value: T, meta: &Meta) -> syn::Result<()> {
    if slot.is_some() {
        let name = quote::ToTokens::to_token_stream(meta.path()).to_string();
        return Err(syn::Error::new(
            meta.path().span(),
            format!("duplicate option `{name}` for #[bridge]; give it once"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

/// The value of a `name = value` option.
fn name_value<'a>(meta: &'a Meta, name: &str) -> syn::Result<&'a Expr> {
    match meta {
        Meta::NameValue(nv) => Ok(&nv.value),
        _ => Err(syn::Error::new(
            meta.span(),
            format!("option `{name}` takes a value: write `{name} = ...`"),
        )),
    }
}

/// The predicate of `blocking_cfg(feature = "blocking")`, as tokens.
fn cfg_predicate(meta: &Meta) -> syn::Result<TokenStream> {
    let name = quote::ToTokens::to_token_stream(meta.path()).to_string();
    let Meta::List(list) = meta else {
        return Err(syn::Error::new(
            meta.span(),
            format!("option `{name}` takes a cfg predicate: write `{name}(feature = \"..\")`"),
        ));
    };
    let predicate: Meta = list.parse_args()?;
    Ok(quote::quote!(#predicate))
}

/// The span of a bare flag option such as `skip`.
fn flag(meta: &Meta) -> syn::Result<Span> {
    if let Meta::Path(path) = meta {
        return Ok(path.span());
    }
    let name = quote::ToTokens::to_token_stream(meta.path()).to_string();
    Err(syn::Error::new(
        meta.span(),
        format!("option `{name}` takes no value: write just `{name}`"),
    ))
}

/// A plain identifier value (`blocking = fetch_now`); a string literal holding
/// one is accepted too. A keyword is no name (`blocking = crate` would make
/// `fn crate()`): syn reads `crate`, `self`, `super` and `Self` as one-segment
/// paths, so each is parsed again as an identifier, which rejects them.
fn expr_ident(expr: &Expr) -> syn::Result<Ident> {
    let not_ident = || syn::Error::new(expr.span(), "expected a function name, like `fetch_now`");
    let plain = |ident: &&Ident| syn::parse_str::<Ident>(&ident.to_string()).is_ok();
    match expr {
        Expr::Path(p) if p.qself.is_none() => {
            p.path.get_ident().filter(plain).cloned().ok_or_else(not_ident)
        }
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => s.parse::<Ident>().map_err(|_| not_ident()),
            _ => Err(not_ident()),
        },
        _ => Err(not_ident()),
    }
}

/// A path value (`crate = my_crate::twoworlds`); a string literal holding one
/// is accepted too (serde's spelling).
fn expr_path(expr: &Expr) -> syn::Result<Path> {
    let not_path = || {
        syn::Error::new(
            expr.span(),
            "expected a path to the `twoworlds` crate, like `::my_crate::twoworlds`",
        )
    };
    match expr {
        Expr::Path(p) if p.qself.is_none() => Ok(p.path.clone()),
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => s.parse::<Path>().map_err(|_| not_path()),
            _ => Err(not_path()),
        },
        _ => Err(not_path()),
    }
}
