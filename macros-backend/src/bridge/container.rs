//! Walking the annotated item: a free fn, an inherent `impl` or a `trait`.
//! Reads per-method `#[bridge(..)]` options (and strips them), checks twin
//! names against the items already there, and appends the twins.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens as _, quote};
use syn::spanned::Spanned as _;
use syn::{Attribute, ImplItem, Item, Meta, TraitItem, Visibility};

use super::args::{self, Options};
use super::emit;
use super::ir::{self, Home};
use super::lower::{self, Original};
use crate::common::Errors;

/// The expansion of `item` under the item-level `options`.
pub(super) fn expand_item(item: Item, options: &Options, errors: &mut Errors) -> TokenStream {
    if let Some(span) = options.skip {
        errors.push(syn::Error::new(
            span,
            "option `skip` only applies to a method inside a #[bridge] impl or trait; remove #[bridge] instead",
        ));
    }
    match item {
        Item::Fn(mut function) => {
            let original = Original {
                attrs: &function.attrs,
                vis: &function.vis,
                sig: &function.sig,
                home: Home::Free,
                owner: None,
                outer_params: Vec::new(),
            };
            let twin = lower::lower(&original, options, errors).map(|twin| gated(&twin, options));
            if function.sig.asyncness.is_some() {
                let label = function.sig.ident.to_string();
                instrument(
                    &function.attrs,
                    &mut function.sig,
                    &mut function.block,
                    &label,
                    options,
                );
            }
            quote!(#function #twin)
        }
        Item::Impl(mut block) => {
            if let Some((path, _)) = &block.trait_ {
                errors.push(syn::Error::new_spanned(
                    path,
                    "#[bridge] can't add methods to a trait impl: put it on the trait itself (its twins are provided methods) or on an inherent impl",
                ));
                return block.into_token_stream();
            }
            let owner = crate::common::owner_name(&block.self_ty);
            let taken = block.items.iter().filter_map(|item| match item {
                ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                ImplItem::Const(c) => Some(c.ident.to_string()),
                _ => None,
            });
            let taken: HashSet<String> = taken.collect();
            let methods = block.items.iter_mut().filter_map(|item| match item {
                ImplItem::Fn(f) => Some(Method {
                    attrs: &mut f.attrs,
                    vis: &f.vis,
                    sig: &mut f.sig,
                    body: Some(&mut f.block),
                }),
                _ => None,
            });
            let owner = Owner { name: owner, params: type_params(&block.generics) };
            let twins = twins(methods, &taken, Home::Impl, &owner, options, errors);
            block.items.extend(twins.into_iter().map(ImplItem::Verbatim));
            block.into_token_stream()
        }
        Item::Trait(mut block) => {
            let owner = block.ident.to_string();
            let taken = block.items.iter().filter_map(|item| match item {
                TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
                TraitItem::Const(c) => Some(c.ident.to_string()),
                _ => None,
            });
            let taken: HashSet<String> = taken.collect();
            let inherited = Visibility::Inherited;
            let methods = block.items.iter_mut().filter_map(|item| match item {
                TraitItem::Fn(f) => Some(Method {
                    attrs: &mut f.attrs,
                    vis: &inherited,
                    sig: &mut f.sig,
                    body: f.default.as_mut(),
                }),
                _ => None,
            });
            let owner = Owner { name: owner, params: type_params(&block.generics) };
            let twins = twins(methods, &taken, Home::Trait, &owner, options, errors);
            block.items.extend(twins.into_iter().map(TraitItem::Verbatim));
            block.into_token_stream()
        }
        other => {
            let (kind, span) = describe(&other);
            errors.push(syn::Error::new(
                span,
                format!("#[bridge] goes on a fn, an inherent impl block or a trait, not on {kind}"),
            ));
            other.into_token_stream()
        }
    }
}

/// A method of a bridged impl or trait, as the walk needs it.
struct Method<'a> {
    /// Its attributes; `#[bridge(..)]` ones are taken out.
    attrs: &'a mut Vec<Attribute>,
    /// Its visibility.
    vis: &'a Visibility,
    /// Its signature (made a plain fn's by [`instrument`] once its twin is
    /// made).
    sig: &'a mut syn::Signature,
    /// Its body (`None` for a trait method without a default).
    body: Option<&'a mut syn::Block>,
}

/// Lints the body of an async original and wraps it for the watchdog, which
/// reports it as `module::label`.
fn instrument(
    attrs: &[Attribute],
    sig: &mut syn::Signature,
    body: &mut syn::Block,
    label: &str,
    options: &Options,
) {
    let private = options.private_path();
    let imports = crate::lint::Imports::default();
    let at = crate::lint::Site {
        label,
        private: &private,
        allow: options.allow(),
        imports: &imports,
        keep_async_fn: false,
    };
    crate::lint::instrument_async_fn(attrs, sig, body, &at);
}

/// The twins of `methods`, skipping `#[bridge(skip)]` ones and reporting
/// twin names that collide with `taken` or with each other.
fn twins<'a>(
    methods: impl Iterator<Item = Method<'a>>,
    taken: &HashSet<String>,
    home: Home,
    owner: &Owner,
    outer: &Options,
    errors: &mut Errors,
) -> Vec<TokenStream> {
    let mut made = HashSet::new();
    let mut twins = Vec::new();
    for method in methods {
        let options = take_options(method.attrs, errors).over(outer);
        if options.skip.is_some() {
            continue;
        }
        twins.extend(twin(&method, taken, &mut made, home, owner, &options, errors));
        if let (Some(_), Some(body)) = (method.sig.asyncness, method.body) {
            let label = format!("{}::{}", owner.name, method.sig.ident);
            instrument(method.attrs, method.sig, body, &label, &options);
        }
    }
    twins
}

/// The twin of `method` (`None` after reporting a name collision with
/// `taken` or with the twins `made` so far).
fn twin(
    method: &Method<'_>,
    taken: &HashSet<String>,
    made: &mut HashSet<String>,
    home: Home,
    owner: &Owner,
    options: &Options,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let name = lower::twin_name(method.sig, options);
    let written = options.blocking.as_ref().or(options.async_name.as_ref());
    let span = written.map_or_else(|| method.sig.ident.span(), syn::Ident::span);
    let place = if matches!(home, Home::Trait) { "trait" } else { "impl" };
    // Methods under `cfg` may be alternatives with the same name (one per
    // platform); their twins carry the same `cfg`, so only unconditional
    // twins are checked here (rustc still reports a real clash).
    let conditional =
        method.attrs.iter().any(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"));
    if !conditional && (taken.contains(&name.to_string()) || !made.insert(name.to_string())) {
        errors.push(syn::Error::new(
            span,
            format!(
                "the twin `{name}` of `{}` collides with an item of the same name in this {place}; \
                 rename the twin (`#[bridge(blocking = ...)]` / `#[bridge(async_name = ...)]` on the method) \
                 or leave the method out with `#[bridge(skip)]`",
                method.sig.ident
            ),
        ));
        return None;
    }
    let original = Original {
        attrs: method.attrs,
        vis: method.vis,
        sig: method.sig,
        home,
        owner: Some(owner.name.clone()),
        outer_params: owner.params.clone(),
    };
    lower::lower(&original, options, errors).map(|twin| gated(&twin, options))
}

/// The tokens of `twin`, under its world's cfg (`blocking_cfg` for a
/// blocking twin, `async_cfg` for an async one) when the options give one.
fn gated(twin: &ir::Twin, options: &Options) -> TokenStream {
    let cfg = match twin.direction {
        ir::Direction::Blocking => options.blocking_cfg.as_ref(),
        ir::Direction::Async { .. } => options.async_cfg.as_ref(),
    };
    let tokens = emit::twin(twin);
    match cfg {
        Some(predicate) => quote!(#[cfg(#predicate)] #tokens),
        None => tokens,
    }
}

/// Takes the `#[bridge(..)]` attributes out of `attrs` and parses their
/// options.
fn take_options(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> Options {
    let mut tokens = Vec::new();
    attrs.retain(|attr| {
        let is_bridge = attr.path().segments.last().is_some_and(|s| s.ident == "bridge");
        if is_bridge {
            match &attr.meta {
                Meta::Path(_) => {}
                Meta::List(list) => tokens.push(list.tokens.clone()),
                Meta::NameValue(nv) => errors.push(syn::Error::new_spanned(
                    nv,
                    "write method options as `#[bridge(option, ...)]`",
                )),
            }
        }
        !is_bridge
    });
    let joined = tokens.into_iter().reduce(|mut all, next| {
        all.extend(quote!(,));
        all.extend(next);
        all
    });
    args::parse(joined.unwrap_or_default(), errors)
}

/// The impl or trait the methods belong to.
struct Owner {
    /// Its name as the runtime reports it.
    name: String,
    /// Its type parameters.
    params: Vec<syn::Ident>,
}

/// The names of the type parameters of `generics`.
fn type_params(generics: &syn::Generics) -> Vec<syn::Ident> {
    generics.type_params().map(|param| param.ident.clone()).collect()
}

/// What `item` is, in words, and the span of its keyword.
fn describe(item: &Item) -> (&'static str, Span) {
    match item {
        Item::Struct(s) => ("a struct", s.struct_token.span),
        Item::Enum(e) => ("an enum", e.enum_token.span),
        Item::Union(u) => ("a union", u.union_token.span),
        Item::Const(c) => ("a const", c.const_token.span),
        Item::Static(s) => ("a static", s.static_token.span),
        Item::Mod(m) => {
            ("a module (use #[dual] for a blocking copy of a module)", m.mod_token.span)
        }
        Item::Type(t) => ("a type alias", t.type_token.span),
        Item::Use(u) => ("a use item", u.use_token.span),
        Item::ForeignMod(f) => ("an extern block", f.abi.extern_token.span),
        Item::TraitAlias(t) => ("a trait alias", t.trait_token.span),
        Item::ExternCrate(e) => ("an extern crate item", e.extern_token.span),
        Item::Macro(m) => ("a macro invocation", m.mac.path.span()),
        _ => ("this item", item.span()),
    }
}
