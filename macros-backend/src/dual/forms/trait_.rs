//! `#[dual] trait Store { .. }` → the async `Store`, whose async methods
//! return `impl Future<Output = T> + DualFuture` (so generic code gets their
//! blocking twins too), + `trait BlockingStore` (same method names, sync;
//! default bodies for hand-written sync impls) + the blanket
//! `impl<S: Store> BlockingStore for S` ([`super::blanket`]): every
//! implementor of `Store` is a `BlockingStore`, and no impl ever needs to
//! name `BlockingStore`. With `send`, the async methods' futures are also
//! `Send` (as trait-variant does), default methods' included.

use super::super::cfgs::Version;
use super::super::ir::{Branches, ClosureCallees};
use super::super::options::{self, Args, Form};
use super::super::rewrite::closure_params::sync_closure_params;
use super::super::twin::{self, FnParts, Names};
use super::super::{fn_ids, instrument, respan, worlds};
use super::fn_::is_async;
use crate::common::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Item, ItemTrait, TraitItem};

/// The blocking trait's name for a trait named `name`.
fn blocking_name(name: &syn::Ident, args: &Args) -> syn::Ident {
    args.blocking.clone().unwrap_or_else(|| format_ident!("Blocking{}", name))
}

/// Removes `#[dual(..)]` from the methods of a trait or trait impl (none applies there).
pub(super) fn no_method_options<'a>(
    attrs: impl Iterator<Item = &'a mut Vec<syn::Attribute>>,
    errors: &mut Errors,
) {
    for attrs in attrs {
        options::take_inner(attrs, errors).check_form(Form::TraitMethod, errors);
    }
}

/// The names of the async methods of a trait or impl, whose signatures are
/// checked on the way.
pub(super) fn async_names<'a>(
    sigs: impl Iterator<Item = &'a syn::Signature>,
    errors: &mut Errors,
) -> Vec<String> {
    sigs.filter(|sig| is_async(sig) && super::fn_::check_sig(sig, errors))
        .map(|sig| sig.ident.to_string())
        .collect()
}

/// The signatures of a trait's fns.
fn trait_sigs(tr: &ItemTrait) -> impl Iterator<Item = &syn::Signature> {
    tr.items.iter().filter_map(|i| match i {
        TraitItem::Fn(f) => Some(&f.sig),
        _ => None,
    })
}

/// Expands the trait form.
pub(crate) fn expand(tr: &ItemTrait, args: &Args, errors: &mut Errors) -> TokenStream {
    args.check_form(Form::Trait, errors);
    let mut tr = tr.clone();
    no_method_options(
        tr.items.iter_mut().filter_map(|i| match i {
            TraitItem::Fn(f) => Some(&mut f.attrs),
            _ => None,
        }),
        errors,
    );
    let async_names = async_names(trait_sigs(&tr), errors);
    super::hidden::in_trait(&mut tr.items);
    let original = Item::Trait(tr.clone());
    if async_names.is_empty() {
        errors.push(syn::Error::new(
            tr.trait_token.span,
            format!(
                "#[dual] has nothing to transform: this trait has no `async fn` method{}",
                super::boxed::ran_before(trait_sigs(&tr))
            ),
        ));
        return quote!(#original);
    }
    let twin_name = blocking_name(&tr.ident, args);
    if twin_name == tr.ident {
        errors.push(twin::collision(&twin_name, &tr.ident, "trait"));
        return quote!(#original);
    }
    if super::boxed::has_async_trait(&tr.attrs) {
        let names = (&tr.ident, &twin_name);
        return super::boxed::expand_trait(&original, names, &async_names, args, errors);
    }
    let (async_copy, blocking) = worlds::split(&original, args, errors);
    let (Item::Trait(async_copy), Item::Trait(mut blocking)) = (async_copy, blocking) else {
        return quote!(#original);
    };
    let branches = blocking_trait(&mut blocking, &tr.ident, &twin_name, &async_names, args, errors);
    let kept = |name: Option<&syn::Ident>, _: &[syn::Attribute]| {
        name.is_some_and(|name| !async_names.contains(&name.to_string()))
    };
    let mut declared = None;
    let originals = instrument::versions(
        &Item::Trait(async_copy),
        args,
        (&branches, false),
        &kept,
        &mut |item, version| {
            if let Item::Trait(tr) = item {
                declare_futures(tr, &async_names, args, version != Version::Plain);
                declared.get_or_insert_with(|| tr.clone());
            }
        },
    );
    let Some(declared) = declared else { return quote!(#original) };
    let blanket = super::blanket::impl_for(&declared, &blocking, &async_names, args, errors);
    let gate = args.cfgs.blocking_attr();
    let blocking = respan::wrap(&quote!(#gate #blocking), declared.ident.span());
    quote!(#originals #blocking #gate #blanket)
}

/// Makes `blocking` (the blocking copy of trait `name`) the blocking trait
/// `twin_name`, and returns the branch each default async method of the
/// async trait runs for its blocking twin.
fn blocking_trait(
    blocking: &mut ItemTrait,
    name: &syn::Ident,
    twin_name: &syn::Ident,
    async_names: &[String],
    args: &Args,
    errors: &mut Errors,
) -> Branches {
    let mut branches = Branches::new();
    let blocking_items: Vec<String> = blocking.items.iter().filter_map(item_name).collect();
    let closure_callees: ClosureCallees = blocking
        .items
        .iter()
        .filter_map(|item| match item {
            TraitItem::Fn(f) => {
                let params = sync_closure_params(&f.sig, f.default.as_ref(), true);
                Some((f.sig.ident.to_string(), params))
            }
            _ => None,
        })
        .filter(|(_, params)| !params.inputs.is_empty())
        .collect();
    blocking.ident = twin_name.clone();
    blocking.attrs = twin::twin_attrs(&blocking.attrs, &name.to_string(), false);
    for item in &mut blocking.items {
        let TraitItem::Fn(method) = item else { continue };
        let method_name = method.sig.ident.clone();
        let id = fn_ids::take(&mut method.attrs);
        if !async_names.contains(&method_name.to_string()) {
            continue;
        }
        let (link, label) =
            (format!("{name}::{method_name}"), format!("{twin_name}::{method_name}"));
        // The async trait's future runs the body as written there; the
        // blocking trait's default reaches its own trait by its own name.
        if let (Some(id), Some(body)) = (id, &mut method.default) {
            let settings = twin::settings(&label, args);
            branches.insert(id, twin::inline_body(body.clone(), &settings, &mut Errors::default()));
            let mut paths =
                OwnTraitPaths { from: name, to: twin_name, items: Some(&blocking_items), errors };
            paths.visit_block_mut(body);
        }
        let parts = FnParts {
            attrs: &mut method.attrs,
            sig: &mut method.sig,
            block: method.default.as_mut(),
        };
        let names = Names {
            name: &method_name,
            link: &link,
            label: &label,
            own_methods: None,
            closure_callees: Some(&closure_callees),
            adapted_closures: true,
            closure_decision: None,
        };
        twin::twin_fn(parts, &names, None, args, errors);
    }
    branches
}

/// Input: an async method of the async trait, `async fn m(..) -> T;` (or
/// already desugared with a default body).
/// Output: `fn m(..) -> impl Future<Output = T> [+ Send] [+ DualFuture];`
/// (`Send` under `send`, `DualFuture` when `dual`).
pub(super) fn declare_futures(tr: &mut ItemTrait, async_names: &[String], args: &Args, dual: bool) {
    let krate = args.krate();
    let site = Span::mixed_site();
    let send = args.send.map(|_| quote_spanned!(site=> + ::core::marker::Send));

    for item in &mut tr.items {
        let TraitItem::Fn(method) = item else { continue };
        if !async_names.contains(&method.sig.ident.to_string()) {
            continue;
        }
        if method.default.is_none() && method.sig.asyncness.take().is_some() {
            crate::common::elided::name_in_impl_args(&mut method.sig);
            let output = match &method.sig.output {
                syn::ReturnType::Default => quote!(()),
                syn::ReturnType::Type(_, ty) => quote!(#ty),
            };
            let bound = dual.then(
                || quote_spanned!(site=> + #krate::__private::DualFuture<Blocking = #output>),
            );
            let ty = quote_spanned!(site=>
                impl ::core::future::Future<Output = #output> #send #bound
            );
            method.sig.output =
                syn::ReturnType::Type(syn::Token![->](site), Box::new(syn::Type::Verbatim(ty)));
            if dual {
                method.attrs.push(crate::lint::implied_future_bound());
            }
        } else if let (Some(send), syn::ReturnType::Type(_, ty)) = (&send, &mut method.sig.output)
            && let syn::Type::Verbatim(tokens) = &mut **ty
        {
            // A default method, desugared with its `Dual` future.
            tokens.extend(send.clone());
        }
    }
}

/// Input: in a default body of the blocking trait, a path through the trait's
/// own name (`Store::get(self, k)`, `<Self as Store>::get`).
/// Output: the same through the blocking trait (`BlockingStore::get(self, k)`),
/// which is what `Self` implements there. A path whose first segment is the
/// trait's name names the trait inside its own definition.
pub(super) struct OwnTraitPaths<'a> {
    /// The async trait's name.
    pub(super) from: &'a syn::Ident,
    /// The blocking trait's name.
    pub(super) to: &'a syn::Ident,
    /// The blocking trait's items, when known: a path to another is an error.
    pub(super) items: Option<&'a [String]>,
    /// Where errors go.
    pub(super) errors: &'a mut Errors,
}

impl OwnTraitPaths<'_> {
    /// Renames the first segment of `path` (through the async trait) to the
    /// blocking trait, or reports that the blocking trait lacks the item.
    fn rename(&mut self, path: &mut syn::Path) {
        let item = path.segments[1].ident.to_string();
        if self.items.is_some_and(|items| !items.contains(&item)) {
            self.errors.push(syn::Error::new_spanned(
                &*path,
                format!(
                    "#[dual]: in the blocking trait `{to}`, this path would name `{to}::{item}`, \
                     which `{to}` does not have (is `{item}` #[only_async]?)\n\
                     keep this call in the async world with #[only_async] or `per_world!`",
                    to = self.to
                ),
            ));
        }
        let span = path.segments[0].ident.span();
        path.segments[0].ident = self.to.clone();
        path.segments[0].ident.set_span(span);
    }
}

/// The name a trait item defines.
fn item_name(item: &TraitItem) -> Option<String> {
    match item {
        TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
        TraitItem::Type(t) => Some(t.ident.to_string()),
        TraitItem::Const(c) => Some(c.ident.to_string()),
        _ => None,
    }
}

impl VisitMut for OwnTraitPaths<'_> {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        let through_trait = |path: &syn::Path, from: &syn::Ident| {
            path.leading_colon.is_none()
                && path.segments.len() >= 2
                && path.segments.first().is_some_and(|s| s.ident == *from)
        };
        // `Store::m` or `<Self as Store>::m`: the trait is the path's first segment.
        let qualified_by_trait = path.qself.as_ref().is_none_or(|qself| qself.position == 1);
        if qualified_by_trait && through_trait(&path.path, self.from) {
            self.rename(&mut path.path);
        }
        visit_mut::visit_expr_path_mut(self, path);
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}
