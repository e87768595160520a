//! `#[dual] mod m { .. }` → `m` as written + `m::blocking`, a sync copy of
//! every item under the same names (reqwest's `reqwest::blocking` shape).
//!
//! The copy is one module deeper, so paths that leave `m` get one more
//! `super` ([`SuperAdjust`]); names of `m`'s own items resolve to the copies
//! because they have the same names. `static`s are re-exported, not copied
//! (one state, not two); `macro_rules!` stay in `m` (textual scope reaches
//! the copy). `crate::` paths are kept as written: they name the async items.

use super::super::args::Args;
use super::super::ir::Scope;
use super::fn_::is_async;
use super::skip;
use crate::common::Errors;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::visit_mut::{self, VisitMut};
use syn::{ImplItem, Item, ItemMod, TraitItem};

/// Options that apply to an inline mod.
const MOD_OPTIONS: &[&str] =
    &["blocking", "send", "strict", "crate", "replace", "tokio_to_std", "allow_blocking"];

/// Expands the mod form.
pub(crate) fn expand(module: &ItemMod, args: &Args, errors: &mut Errors) -> TokenStream {
    args.reject_unless(MOD_OPTIONS, "an inline mod", errors);
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
        errors.push(super::collision(&inner, taken, "item"));
        return quote!(#module);
    }
    let mut module = module.clone();
    if let Some((_, items)) = &mut module.content {
        skip::mark(items, errors);
    }
    let items = module.content.as_ref().map_or(&[][..], |(_, items)| items);
    let mut scope = Scope { any_path: true, ..Scope::default() };
    collect(items, &mut scope);
    if scope.fns.is_empty() && scope.methods.is_empty() {
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
    let (mut async_copy, blocking) = super::prepare(&original, args, errors);
    super::lint::instrument(&mut async_copy, args, &|_, attrs| skip::is_marked(attrs));
    let (Item::Mod(mut async_copy), Item::Mod(blocking)) = (async_copy, blocking) else {
        return quote!(#original);
    };
    let mut copies = blocking.content.map(|(_, items)| items).unwrap_or_default();
    let cx = Cx { scope: &scope, args, prefix: "super::".to_owned() };
    copies = copies.into_iter().filter_map(|item| twin_item(item, &cx, errors)).collect();
    let mut adjust = SuperAdjust { depth: 0 };
    for item in &mut copies {
        adjust.visit_item_mut(item);
    }
    let original_path: syn::Path = syn::parse_quote!(super);
    reexport_statics(&mut copies, &original_path);
    skip::resolve(&mut copies, &original_path);
    let doc = format!("Blocking twins of the items of [`{}`](super).", module.ident);
    if let Some((_, items)) = &mut async_copy.content {
        skip::strip(items);
        if args.send.is_some() {
            send_traits(items);
        }
        items.push(syn::parse_quote!(#[doc = #doc] pub mod #inner { #(#copies)* }));
    }
    quote!(#async_copy)
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

/// Records every async fn and async method of `items` (and nested mods),
/// under their own names: the copies keep them.
fn collect(items: &[Item], scope: &mut Scope) {
    let same = |name: &syn::Ident| (name.to_string(), name.clone());
    for item in items {
        match item {
            _ if item_attrs_marked(item) => {}
            Item::Fn(f) if is_async(&f.sig) => scope.fns.extend([same(&f.sig.ident)]),
            Item::Impl(imp) => scope.methods.extend(imp.items.iter().filter_map(|i| match i {
                ImplItem::Fn(f) if is_async(&f.sig) && !skip::is_marked(&f.attrs) => {
                    Some(same(&f.sig.ident))
                }
                _ => None,
            })),
            Item::Trait(tr) => scope.methods.extend(tr.items.iter().filter_map(|i| match i {
                TraitItem::Fn(f) if is_async(&f.sig) => Some(same(&f.sig.ident)),
                _ => None,
            })),
            Item::Mod(m) => collect(m.content.as_ref().map_or(&[][..], |(_, items)| items), scope),
            _ => {}
        }
    }
}

/// What the copy of one item needs to know.
struct Cx<'a> {
    /// The invocation's items.
    scope: &'a Scope,
    /// Its options.
    args: &'a Args,
    /// The path from the copy's module to the original's (`super::`,
    /// `super::super::inner::`), for doc links.
    prefix: String,
}

impl Cx<'_> {
    /// Makes one async fn of the copy its blocking twin, in place, under the
    /// same name; `owner` is `""`, `"Type::"` or `"Trait::"`, for the doc
    /// link back to the original.
    fn twin_fn(
        &self,
        attrs: &mut Vec<syn::Attribute>,
        sig: &mut syn::Signature,
        block: Option<&mut syn::Block>,
        owner: &str,
        errors: &mut Errors,
    ) {
        let name = sig.ident.clone();
        let link = format!("{}{owner}{name}", self.prefix);
        super::twin_fn(attrs, sig, block, (&name, &link), self.scope, self.args, errors);
    }
}

/// The blocking copy of one item of the module (`None`: not copied).
fn twin_item(item: Item, cx: &Cx<'_>, errors: &mut Errors) -> Option<Item> {
    let mut item = item;
    let (scope, args) = (cx.scope, cx.args);
    match &mut item {
        Item::Fn(f) if is_async(&f.sig) && super::fn_::check_sig(&f.sig, errors) => {
            cx.twin_fn(&mut f.attrs, &mut f.sig, Some(&mut f.block), "", errors);
        }
        Item::Impl(imp) => {
            let ty = &imp.self_ty;
            let ty = quote!(#ty).to_string().replace(' ', "");
            for item in &mut imp.items {
                let ImplItem::Fn(f) = item else { continue };
                if is_async(&f.sig) {
                    let owner = format!("{ty}::");
                    cx.twin_fn(&mut f.attrs, &mut f.sig, Some(&mut f.block), &owner, errors);
                }
            }
        }
        Item::Trait(tr) => {
            let trait_name = tr.ident.to_string();
            for item in &mut tr.items {
                let TraitItem::Fn(f) = item else { continue };
                if is_async(&f.sig) {
                    let owner = format!("{trait_name}::");
                    cx.twin_fn(&mut f.attrs, &mut f.sig, f.default.as_mut(), &owner, errors);
                }
            }
        }
        Item::Macro(_) => return None,
        Item::Mod(m) => {
            let prefix = format!("super::{}{}::", cx.prefix, m.ident);
            let inner = Cx { scope, args, prefix };
            if let Some((_, items)) = &mut m.content {
                let taken = std::mem::take(items);
                *items = taken.into_iter().filter_map(|i| twin_item(i, &inner, errors)).collect();
            }
        }
        _ => {}
    }
    Some(item)
}

/// The path from the copy of nested module `inner` to its original, given
/// `outer`, the path from the copy of its parent to the parent's original
/// (`super` at the top: `m::blocking` → `m`).
pub(crate) fn nested_original(outer: &syn::Path, inner: &syn::Ident) -> syn::Path {
    syn::parse_quote!(super::#outer::#inner)
}

/// Input: `static X: T = ..;` in the copy (visibility already adjusted).
/// Output: `use <original>::X;` with the same visibility: one state, not two.
fn reexport_statics(items: &mut [Item], original: &syn::Path) {
    for item in items {
        match item {
            Item::Static(s) => {
                let (vis, ident) = (&s.vis, &s.ident);
                let cfgs = s.attrs.iter().filter(|a| a.path().is_ident("cfg"));
                *item = syn::parse_quote!(#(#cfgs)* #vis use #original::#ident;);
            }
            Item::Mod(m) => {
                let inner = nested_original(original, &m.ident);
                if let Some((_, items)) = &mut m.content {
                    reexport_statics(items, &inner);
                }
            }
            _ => {}
        }
    }
}

/// Applies the `send` desugaring to every trait in `items` (and nested mods).
fn send_traits(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Trait(tr) => tr.items.iter_mut().for_each(super::trait_::send_desugar),
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    send_traits(items);
                }
            }
            _ => {}
        }
    }
}

/// Input: a path in the copy, `depth` modules below the copy's root, starting
/// with `super` more times than `depth` (so it leaves `m`): `super::x`.
/// Output: one more `super`: `super::super::x`. Also `pub(super)` →
/// `pub(in super::super)` and `use super::..` trees.
struct SuperAdjust {
    /// How many modules below the copy's root the visitor is.
    depth: usize,
}

impl SuperAdjust {
    /// Whether a path starting with `supers` `super`s leaves `m`.
    fn leaves(&self, supers: usize) -> bool {
        supers > self.depth
    }
}

/// How many `super` segments `path` starts with.
fn leading_supers(path: &syn::Path) -> usize {
    if path.leading_colon.is_some() {
        return 0;
    }
    path.segments.iter().take_while(|s| s.ident == "super").count()
}

impl VisitMut for SuperAdjust {
    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        self.depth += 1;
        visit_mut::visit_item_mod_mut(self, module);
        self.depth -= 1;
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if self.leaves(leading_supers(path)) {
            path.segments.insert(0, syn::Ident::new("super", Span::call_site()).into());
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_visibility_mut(&mut self, vis: &mut syn::Visibility) {
        let syn::Visibility::Restricted(restricted) = vis else { return };
        if self.leaves(leading_supers(&restricted.path)) {
            restricted.path.segments.insert(0, syn::Ident::new("super", Span::call_site()).into());
            restricted.in_token = Some(syn::Token![in](Span::call_site()));
        }
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        self.visit_visibility_mut(&mut item.vis);
        if item.leading_colon.is_some() {
            return;
        }
        let mut supers = 0;
        let mut tree = &item.tree;
        while let syn::UseTree::Path(p) = tree {
            if p.ident != "super" {
                break;
            }
            supers += 1;
            tree = &p.tree;
        }
        if self.leaves(supers) {
            let old = std::mem::replace(
                &mut item.tree,
                syn::UseTree::Glob(syn::UseGlob { star_token: syn::Token![*](Span::call_site()) }),
            );
            item.tree = syn::parse_quote!(super::#old);
        }
    }
}
