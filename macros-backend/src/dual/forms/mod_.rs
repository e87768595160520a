//! `#[dual] mod m { .. }` → `m` as written + `m::blocking`, a sync copy of
//! every item under the same names (reqwest's `reqwest::blocking` shape).
//!
//! The copy is one module deeper, so paths that leave `m` get one more
//! `super` ([`super::mod_paths`]); names of `m`'s own items resolve to the copies
//! because they have the same names. `static`s are re-exported, not copied
//! (one state, not two); `macro_rules!` stay in `m` (textual scope reaches
//! the copy). `crate::` paths are kept as written: they name the async items.
//!
//! The `#[dual]` futures: a free async fn of `m` whose signature names none
//! of `m`'s own types returns one whose blocking world calls its copy
//! (`blocking::f(args)`), so another `#[dual]` item awaiting `m::f(..)`
//! runs `m::blocking::f` instead of a `block_on` bridge. Methods, and fns
//! over `m`'s own types, cannot be called that way: in the copy those
//! types are other types (with their per-world fields, variants and
//! replaced paths); their futures are plain, and awaiting them from another
//! invocation's blocking twin bridges (reach the copy with `replace(m =>
//! m::blocking)` instead).

use super::super::cfgs::Version;
use super::super::ir::ClosureCallees;
use super::super::ir::{Branch, Branches, FnId, Run};
use super::super::options::{Args, Form};
use super::super::rewrite::closure_params::sync_closure_params;
use super::super::twin::{self, FnParts, Names};
use super::super::{fn_ids, instrument, respan, worlds};
use super::fn_::is_async;
use super::mod_paths::{SuperAdjust, reexport_statics};
use super::skip;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};
use std::collections::{HashMap, HashSet};
use syn::visit_mut::VisitMut as _;
use syn::{ImplItem, Item, ItemMod, TraitItem};

/// Expands the mod form.
pub(crate) fn expand(module: &ItemMod, args: &Args, errors: &mut Errors) -> TokenStream {
    args.check_form(Form::Mod, errors);
    let Some((_, items)) = &module.content else {
        errors.push(syn::Error::new(
            module.ident.span(),
            format!(
                "#[dual] needs the module's items: `mod {};` has no body here\n\
                 write the module inline (`mod {} {{ .. }}`) or put #[dual] on the items in its file",
                module.ident, module.ident
            ),
        ));
        return quote!(#module);
    };
    let inner =
        args.blocking.clone().unwrap_or_else(|| syn::Ident::new("blocking", module.ident.span()));
    if let Some(taken) = items.iter().find_map(|item| item_ident(item).filter(|i| **i == inner)) {
        errors.push(twin::collision(&inner, taken, "item"));
        return quote!(#module);
    }
    let mut module = module.clone();
    if let Some((_, items)) = &mut module.content {
        skip::mark(items, errors);
    }
    let items = module.content.as_ref().map_or(&[][..], |(_, items)| items);
    if !has_async(items) {
        errors.push(syn::Error::new(
            module.mod_token.span,
            "#[dual] has nothing to transform: this module has no `async fn` (free or in an impl or trait)",
        ));
        if let Some((_, items)) = &mut module.content {
            skip::strip(items);
        }
        return quote!(#module);
    }
    let original = Item::Mod(module.clone());
    let (async_copy, blocking) = worlds::split(&original, args, errors);
    let Item::Mod(blocking) = blocking else { return quote!(#original) };
    let mut copies = blocking.content.map(|(_, items)| items).unwrap_or_default();
    let mut cx = Cx {
        args,
        prefix: "super::".to_owned(),
        inner: &inner,
        below: Vec::new(),
        own_types: own_types(items),
        closure_callees: closure_callees(items),
        trait_closures: trait_closures(items),
        branches: Branches::new(),
    };
    copies = copies.into_iter().filter_map(|item| twin_item(item, &mut cx, errors)).collect();
    let mut adjust = SuperAdjust { depth: 0 };
    for item in &mut copies {
        adjust.visit_item_mut(item);
    }
    let original_path: syn::Path = syn::parse_quote!(super);
    reexport_statics(&mut copies, &original_path);
    skip::resolve(&mut copies, &original_path);
    let doc = format!("Blocking twins of the items of [`{}`](super).", module.ident);
    let gate = args.cfgs.blocking_attr();
    // `pub` so that `blocking` is seen wherever the module's `pub` items are
    // (in a private module, rustc's `unreachable_pub` would say otherwise).
    let copy: Item = syn::parse_quote!(
        #[doc = #doc]
        #[allow(unreachable_pub)]
        pub mod #inner { #(#copies)* }
    );
    let copy =
        Item::Verbatim(respan::wrap(&quote!(#gate #copy), module.ident.span()).into_token_stream());
    let left_alone = |_: Option<&syn::Ident>, attrs: &[syn::Attribute]| skip::is_marked(attrs);
    let mut finish = |item: &mut Item, version: Version| {
        if let Item::Mod(m) = item
            && let Some((_, items)) = &mut m.content
        {
            skip::strip(items);
            if args.send.is_some() {
                // After instrumenting: default methods are desugared by then.
                send_traits(items, args);
            }
            if version != Version::Plain {
                items.push(copy.clone());
            }
        }
    };
    instrument::versions(&async_copy, args, (&cx.branches, false), &left_alone, &mut finish)
}

/// The name an item defines (to check the inner module's name is free).
fn item_ident(item: &Item) -> Option<&syn::Ident> {
    match item {
        Item::Fn(i) => Some(&i.sig.ident),
        Item::Mod(i) => Some(&i.ident),
        Item::Struct(i) => Some(&i.ident),
        Item::Enum(i) => Some(&i.ident),
        Item::Const(i) => Some(&i.ident),
        Item::Static(i) => Some(&i.ident),
        Item::Trait(i) => Some(&i.ident),
        Item::Type(i) => Some(&i.ident),
        Item::Union(i) => Some(&i.ident),
        _ => None,
    }
}

/// Whether `item` is marked `#[dual(skip)]`.
fn item_attrs_marked(item: &Item) -> bool {
    match item {
        Item::Fn(i) => skip::is_marked(&i.attrs),
        Item::Impl(i) => skip::is_marked(&i.attrs),
        Item::Trait(i) => skip::is_marked(&i.attrs),
        Item::Mod(i) => skip::is_marked(&i.attrs),
        _ => false,
    }
}

/// The async fns of `items` (free, in impls and traits, in nested mods)
/// whose twins take sync closures (see `rewrite::closure_ty`), by name.
fn closure_callees(items: &[Item]) -> ClosureCallees {
    // Each fn with its body. (A trait of a mod has no blanket impl: its
    // implementors in the mod implement the blocking trait themselves.)
    let mut fns: Vec<(&syn::Signature, Option<&syn::Block>)> = Vec::new();
    let mut callees = ClosureCallees::new();
    for item in items {
        match item {
            Item::Fn(f) => fns.push((&f.sig, Some(&f.block))),
            Item::Impl(imp) => fns.extend(imp.items.iter().filter_map(|i| match i {
                ImplItem::Fn(f) => Some((&f.sig, Some(&f.block))),
                _ => None,
            })),
            Item::Trait(tr) => fns.extend(tr.items.iter().filter_map(|i| match i {
                TraitItem::Fn(f) => Some((&f.sig, f.default.as_ref())),
                _ => None,
            })),
            Item::Mod(m) => {
                callees.extend(closure_callees(m.content.as_ref().map_or(&[][..], |(_, i)| i)));
            }
            _ => {}
        }
    }
    for (sig, body) in fns.into_iter().filter(|(sig, _)| is_async(sig)) {
        let params = sync_closure_params(sig, body, false);
        if !params.inputs.is_empty() {
            callees.insert(sig.ident.to_string(), params);
        }
    }
    callees
}

/// The traits of `items` (and nested mods), each with where its async
/// methods' twins take sync closures (see [`Cx::trait_closures`]).
fn trait_closures(items: &[Item]) -> HashMap<String, ClosureCallees> {
    let mut traits = HashMap::new();
    for item in items {
        match item {
            Item::Trait(tr) => {
                let methods = tr.items.iter().filter_map(|item| match item {
                    TraitItem::Fn(f) if is_async(&f.sig) => {
                        let params = sync_closure_params(&f.sig, f.default.as_ref(), false);
                        Some((f.sig.ident.to_string(), params))
                    }
                    _ => None,
                });
                traits.insert(tr.ident.to_string(), methods.collect());
            }
            Item::Mod(m) => {
                traits.extend(trait_closures(m.content.as_ref().map_or(&[][..], |(_, i)| i)));
            }
            _ => {}
        }
    }
    traits
}

/// Whether `items` (or nested mods) have an async fn, free or in an impl or
/// trait, that is not skipped.
fn has_async(items: &[Item]) -> bool {
    items.iter().any(|item| match item {
        _ if item_attrs_marked(item) => false,
        Item::Fn(f) => is_async(&f.sig),
        Item::Impl(imp) => imp.items.iter().any(
            |i| matches!(i, ImplItem::Fn(f) if is_async(&f.sig) && !skip::is_marked(&f.attrs)),
        ),
        Item::Trait(tr) => {
            tr.items.iter().any(|i| matches!(i, TraitItem::Fn(f) if is_async(&f.sig)))
        }
        Item::Mod(m) => has_async(m.content.as_ref().map_or(&[][..], |(_, items)| items)),
        _ => false,
    })
}

/// What the copy of one item needs to know, and what it found.
struct Cx<'a> {
    /// The invocation's options.
    args: &'a Args,
    /// The path from the copy's module to the original's (`super::`,
    /// `super::super::inner::`), for doc links.
    prefix: String,
    /// The blocking copy's module name (`blocking`).
    inner: &'a syn::Ident,
    /// The nested modules between `m` and the item (`[inner]` for `m::inner::f`).
    below: Vec<syn::Ident>,
    /// The names of the types and traits the module defines (and copies):
    /// in the copy, they name the copies.
    own_types: HashSet<String>,
    /// The fns and methods of the module whose twins take sync closures
    /// where they take closures returning futures (see `rewrite::closure_ty`).
    closure_callees: ClosureCallees,
    /// The same for the methods of each trait of the module, by trait name:
    /// the twins of its impls' methods take sync closures where it does.
    trait_closures: HashMap<String, ClosureCallees>,
    /// The blocking branch of each async fn of the async copy, as found.
    branches: Branches,
}

impl Cx<'_> {
    /// Makes one async fn of the copy its blocking twin, in place, under the
    /// same name; `owner` is `""`, `"Type::"` or `"Trait::"`, for the doc
    /// link back to the original. A free fn whose signature names none of
    /// the module's own types can be called with its original's arguments:
    /// its original's `#[dual]` future calls it (see the module docs).
    /// Returns whether the original's future calls the copy.
    fn twin_fn(&mut self, parts: FnParts<'_>, owner: &str, errors: &mut Errors) -> bool {
        self.twin_fn_deciding(parts, (owner, None), errors)
    }

    /// [`Self::twin_fn`] for a method of an impl of the module's trait
    /// `implemented`, whose twin takes sync closures where the trait's does.
    fn twin_fn_deciding(
        &mut self,
        parts: FnParts<'_>,
        (owner, implemented): (&str, Option<&str>),
        errors: &mut Errors,
    ) -> bool {
        let decision = implemented.map(|name| {
            let methods = self.trait_closures.get(name);
            let method = methods.and_then(|methods| methods.get(&parts.sig.ident.to_string()));
            method.cloned().unwrap_or_default()
        });
        let id: Option<FnId> = fn_ids::take(parts.attrs);
        let name = parts.sig.ident.clone();
        let (link, label) =
            (format!("{}{owner}{name}", self.prefix), format!("blocking::{owner}{name}"));
        let callee = (owner.is_empty() && !mentions(parts.sig, &self.own_types)).then(|| {
            let supers = self.below.iter().map(|_| quote!(super::));
            let (inner, below) = (self.inner, &self.below);
            let path: syn::Path = syn::parse_quote!(#(#supers)* #inner #(:: #below)* :: #name);
            twin::callee(path, parts.sig)
        });
        let names = Names {
            name: &name,
            link: &link,
            label: &label,
            own_methods: None,
            closure_callees: Some(&self.closure_callees),
            adapted_closures: false,
            closure_decision: decision.as_ref(),
        };
        let branch = twin::twin_fn(parts, &names, callee, self.args, errors);
        if let (Some(id), Some(branch @ Branch { run: Run::Call(_), .. })) = (id, branch) {
            self.branches.insert(id, branch);
            return true;
        }
        false
    }
}

/// Whether `vis` keeps an item inside its own module.
fn is_private(vis: &syn::Visibility) -> bool {
    match vis {
        syn::Visibility::Inherited => true,
        syn::Visibility::Restricted(r) => r.in_token.is_none() && r.path.is_ident("self"),
        syn::Visibility::Public(_) => false,
    }
}

/// The names of the types and traits `items` (and nested mods) define,
/// but those skipped (shared by both worlds).
fn own_types(items: &[Item]) -> HashSet<String> {
    let mut names = HashSet::new();
    for item in items {
        if item_attrs_marked(item) {
            continue;
        }
        match item {
            Item::Struct(i) if !skip::is_marked(&i.attrs) => names.insert(i.ident.to_string()),
            Item::Enum(i) if !skip::is_marked(&i.attrs) => names.insert(i.ident.to_string()),
            Item::Union(i) if !skip::is_marked(&i.attrs) => names.insert(i.ident.to_string()),
            Item::Type(i) if !skip::is_marked(&i.attrs) => names.insert(i.ident.to_string()),
            Item::Trait(i) => names.insert(i.ident.to_string()),
            Item::Mod(m) => {
                names.extend(own_types(m.content.as_ref().map_or(&[][..], |(_, items)| items)));
                false
            }
            _ => false,
        };
    }
    names
}

/// Whether `sig` names `Self` or one of `names` anywhere.
fn mentions(sig: &syn::Signature, names: &HashSet<String>) -> bool {
    /// Finds the names.
    struct Find<'a>(&'a HashSet<String>, bool);
    impl syn::visit::Visit<'_> for Find<'_> {
        fn visit_ident(&mut self, ident: &syn::Ident) {
            let text = ident.to_string();
            self.1 |= text == "Self" || self.0.contains(&text);
        }
    }
    let mut find = Find(names, false);
    syn::visit::Visit::visit_signature(&mut find, sig);
    find.1
}

/// The blocking copy of one item of the module (`None`: not copied).
fn twin_item(item: Item, cx: &mut Cx<'_>, errors: &mut Errors) -> Option<Item> {
    let mut item = item;
    match &mut item {
        Item::Fn(f) if is_async(&f.sig) && super::fn_::check_sig(&f.sig, errors) => {
            let parts = FnParts { attrs: &mut f.attrs, sig: &mut f.sig, block: Some(&mut f.block) };
            if cx.twin_fn(parts, "", errors) && is_private(&f.vis) {
                // The original's future calls it from `m`, outside the copy.
                f.vis = syn::parse_quote!(pub(crate));
            }
        }
        Item::Impl(imp) => {
            let ty = &imp.self_ty;
            let owner = format!("{}::", quote!(#ty).to_string().replace(' ', ""));
            // An impl of a trait of the module follows its closure params.
            let implemented = imp.trait_.as_ref().and_then(|(path, _)| {
                let name = path.segments.last()?.ident.to_string();
                cx.trait_closures.contains_key(&name).then_some(name)
            });
            for item in &mut imp.items {
                let ImplItem::Fn(f) = item else { continue };
                if is_async(&f.sig) {
                    let parts =
                        FnParts { attrs: &mut f.attrs, sig: &mut f.sig, block: Some(&mut f.block) };
                    let _ = cx.twin_fn_deciding(parts, (&owner, implemented.as_deref()), errors);
                }
            }
        }
        Item::Trait(tr) => {
            let owner = format!("{}::", tr.ident);
            for item in &mut tr.items {
                let TraitItem::Fn(f) = item else { continue };
                if is_async(&f.sig) {
                    let parts =
                        FnParts { attrs: &mut f.attrs, sig: &mut f.sig, block: f.default.as_mut() };
                    let _ = cx.twin_fn(parts, &owner, errors);
                }
            }
        }
        Item::Macro(_) => return None,
        Item::Mod(m) => {
            let outer = std::mem::take(&mut cx.prefix);
            cx.prefix = format!("super::{outer}{}::", m.ident);
            cx.below.push(m.ident.clone());
            if let Some((_, items)) = &mut m.content {
                let taken = std::mem::take(items);
                *items = taken.into_iter().filter_map(|i| twin_item(i, cx, errors)).collect();
            }
            cx.below.pop();
            cx.prefix = outer;
        }
        _ => {}
    }
    Some(item)
}

/// Under `send`: the futures of the async methods of every trait in `items`
/// (and nested mods) are declared `Send`, as the trait form does.
fn send_traits(items: &mut [Item], args: &Args) {
    for item in items {
        match item {
            Item::Trait(tr) => {
                let names: Vec<String> = tr
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        TraitItem::Fn(f) if is_async(&f.sig) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                super::trait_::declare_futures(tr, &names, args, false);
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    send_traits(items, args);
                }
            }
            _ => {}
        }
    }
}
