//! Per-world code inside a `#[dual]` item: what belongs to one twin only.
//!
//! - `#[only_async]` / `#[only_blocking]` on a statement (`let`, expression
//!   statement, item statement, macro statement), an item of a module or fn
//!   body (fn, struct, const, `use`, impl, ..), a struct field, an enum
//!   variant, a match arm, an impl item, a trait item, or a field of a struct
//!   expression or struct pattern: the node is kept in that twin and removed
//!   from the other.
//! - `per_world!(async => a, blocking => b)`: the expression `a` in the async
//!   twin, `b` in the blocking one (in expression or statement position, and
//!   inside the arguments of other macros such as `println!`).
//!
//! Markers never reach rustc: every one is stripped, and one in a place
//! where it has no meaning (a fn parameter, a sub-expression, a generic
//! parameter, the `#[dual]` item itself), with arguments, twice, or both
//! markers on one node, is an error spanned on it. Outside a `#[dual]` item
//! the facade's own `only_async`, `only_blocking` and `per_world!` are
//! errors (see [`outside`]). Removing a tuple-struct field shifts the
//! positions of the ones after it; named fields are the safe choice.

mod attr;
pub(crate) use attr::is_blocking_only;
pub(crate) mod outside;
mod per_world;

use crate::common::Errors;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};

/// One of the two worlds a twin lives in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum World {
    /// The async original.
    Async,
    /// The blocking twin.
    Blocking,
}

/// Keeps only what belongs to `world` in `item`: removes statements/items/fields/arms/impl
/// items marked for the other world, strips all markers, resolves the expression form.
/// Misplaced markers are reported into `errors`.
pub(crate) fn keep_world(world: World, item: &mut syn::Item, errors: &mut Errors) {
    if let Some(attrs) = attr::of_item(item) {
        attr::reject(
            attrs,
            "the `#[dual]` item itself (it would be in one twin only; write it without `#[dual]`)",
            errors,
        );
    }
    KeepWorld { world, errors }.visit_item_mut(item);
}

/// Input: one copy of the `#[dual]` item, for `world`.
/// Output: the copy without the nodes marked for the other world, without
/// any marker, and with each `per_world!` replaced by `world`'s arm.
struct KeepWorld<'e> {
    /// The world of this copy.
    world: World,
    /// Where misplaced markers are reported.
    errors: &'e mut Errors,
}

impl KeepWorld<'_> {
    /// Strips the markers of a node and says whether it stays in this copy.
    fn keeps(&mut self, attrs: Option<&mut Vec<syn::Attribute>>) -> bool {
        attrs.is_none_or(|attrs| attr::take(attrs, self.errors).is_none_or(|w| w == self.world))
    }

    /// Keeps the entries of `list` that stay in this copy.
    fn retain<T, P: Default>(
        &mut self,
        list: &mut Punctuated<T, P>,
        attrs: impl Fn(&mut T) -> &mut Vec<syn::Attribute>,
    ) {
        let trailing = list.trailing_punct();
        let entries = std::mem::take(list).into_iter();
        *list = entries
            .filter_map(|mut entry| self.keeps(Some(attrs(&mut entry))).then_some(entry))
            .collect();
        // `S { a, ..base }`: the comma before `..` is the list's trailing
        // one, and the struct needs it (collecting drops it).
        if trailing && !list.empty_or_trailing() {
            list.push_punct(P::default());
        }
    }

    /// `world`'s arm of a `per_world!` call. The other arm is checked too
    /// (as the other world would see it), so the errors of both arms come
    /// out of either pass.
    fn choose(&mut self, mac: &syn::Macro) -> syn::Expr {
        let other = match self.world {
            World::Async => World::Blocking,
            World::Blocking => World::Async,
        };
        let mut unused = Errors::default();
        let mut other_arm =
            per_world::choose(other, mac.tokens.clone(), mac.path.span(), &mut unused);
        KeepWorld { world: other, errors: self.errors }.visit_expr_mut(&mut other_arm);
        per_world::choose(self.world, mac.tokens.clone(), mac.path.span(), self.errors)
    }
}

impl VisitMut for KeepWorld<'_> {
    fn visit_block_mut(&mut self, node: &mut syn::Block) {
        node.stmts.retain_mut(|stmt| self.keeps(attr::of_stmt(stmt)));
        visit_mut::visit_block_mut(self, node);
    }

    fn visit_item_mod_mut(&mut self, node: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut node.content {
            items.retain_mut(|item| self.keeps(attr::of_item(item)));
        }
        visit_mut::visit_item_mod_mut(self, node);
    }

    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        node.items.retain_mut(|item| self.keeps(attr::of_impl_item(item)));
        visit_mut::visit_item_impl_mut(self, node);
    }

    fn visit_item_trait_mut(&mut self, node: &mut syn::ItemTrait) {
        node.items.retain_mut(|item| self.keeps(attr::of_trait_item(item)));
        visit_mut::visit_item_trait_mut(self, node);
    }

    fn visit_item_enum_mut(&mut self, node: &mut syn::ItemEnum) {
        self.retain(&mut node.variants, |variant| &mut variant.attrs);
        visit_mut::visit_item_enum_mut(self, node);
    }

    fn visit_fields_named_mut(&mut self, node: &mut syn::FieldsNamed) {
        self.retain(&mut node.named, |field| &mut field.attrs);
        visit_mut::visit_fields_named_mut(self, node);
    }

    fn visit_fields_unnamed_mut(&mut self, node: &mut syn::FieldsUnnamed) {
        self.retain(&mut node.unnamed, |field| &mut field.attrs);
        visit_mut::visit_fields_unnamed_mut(self, node);
    }

    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        node.arms.retain_mut(|arm| self.keeps(Some(&mut arm.attrs)));
        visit_mut::visit_expr_match_mut(self, node);
    }

    fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
        self.retain(&mut node.fields, |field| &mut field.attrs);
        visit_mut::visit_expr_struct_mut(self, node);
    }

    fn visit_pat_struct_mut(&mut self, node: &mut syn::PatStruct) {
        self.retain(&mut node.fields, |field| &mut field.attrs);
        visit_mut::visit_pat_struct_mut(self, node);
    }

    fn visit_fn_arg_mut(&mut self, node: &mut syn::FnArg) {
        let attrs = match node {
            syn::FnArg::Receiver(receiver) => &mut receiver.attrs,
            syn::FnArg::Typed(typed) => &mut typed.attrs,
        };
        let what =
            "a fn parameter (both twins take the same parameters; pick per world inside the body)";
        attr::reject(attrs, what, self.errors);
        visit_mut::visit_fn_arg_mut(self, node);
    }

    fn visit_attributes_mut(&mut self, node: &mut Vec<syn::Attribute>) {
        attr::reject(node, "this node", self.errors);
    }

    fn visit_expr_mut(&mut self, node: &mut syn::Expr) {
        if let syn::Expr::Macro(call) = node
            && per_world::is_call(&call.mac)
        {
            attr::reject(&mut call.attrs, "a `per_world!` call", self.errors);
            *node = self.choose(&call.mac);
            self.visit_expr_mut(node);
            return;
        }
        visit_mut::visit_expr_mut(self, node);
    }

    fn visit_stmt_mut(&mut self, node: &mut syn::Stmt) {
        if let syn::Stmt::Macro(stmt) = node
            && per_world::is_call(&stmt.mac)
        {
            let expr = self.choose(&stmt.mac);
            *node = syn::Stmt::Expr(expr, stmt.semi_token);
        }
        visit_mut::visit_stmt_mut(self, node);
    }

    fn visit_item_mut(&mut self, node: &mut syn::Item) {
        if let syn::Item::Macro(item) = node
            && per_world::is_call(&item.mac)
        {
            self.errors.push(per_world::not_an_expression(item.mac.path.span()));
            *node = syn::Item::Verbatim(proc_macro2::TokenStream::new());
            return;
        }
        visit_mut::visit_item_mut(self, node);
    }

    fn visit_type_mut(&mut self, node: &mut syn::Type) {
        if let syn::Type::Macro(ty) = node
            && per_world::is_call(&ty.mac)
        {
            self.errors.push(per_world::not_an_expression(ty.mac.path.span()));
            *node = syn::parse_quote!(());
            return;
        }
        visit_mut::visit_type_mut(self, node);
    }

    fn visit_pat_mut(&mut self, node: &mut syn::Pat) {
        if let syn::Pat::Macro(pat) = node
            && per_world::is_call(&pat.mac)
        {
            self.errors.push(per_world::not_an_expression(pat.mac.path.span()));
            *node = syn::parse_quote!(_);
            return;
        }
        visit_mut::visit_pat_mut(self, node);
    }

    fn visit_macro_mut(&mut self, node: &mut syn::Macro) {
        if per_world::is_call(node) {
            self.errors.push(per_world::not_an_expression(node.path.span()));
            return;
        }
        node.tokens =
            per_world::in_tokens(self.world, std::mem::take(&mut node.tokens), self.errors);
    }
}

#[cfg(test)]
mod tests;
