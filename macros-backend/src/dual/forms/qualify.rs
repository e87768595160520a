//! Calls of a trait's own methods inside an impl of that trait, qualified.
//!
//! A `#[dual]` trait's implementors also implement its blocking trait (the
//! blanket impl), and both traits have the same method names; where both
//! are in scope — the module that defines them, or one that imports both —
//! `self.get(k)` in an impl of `Store` is ambiguous (E0034). The macro
//! knows the methods the impl defines, and names their trait.
//!
//! Input: `self.get(k)` or `Self::get(self, k)` where the impl defines `get`.
//! Output: `<Self as Store>::get(self, k)`.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ImplItem, ItemImpl, Path};

/// Applies [`QualifySelfCalls`] to the methods of `imp`, a trait impl.
pub(super) fn self_calls(imp: &mut ItemImpl) {
    let Some((trait_path, _)) = imp.trait_.clone() else {
        return;
    };
    let methods: Vec<String> = imp
        .items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in &mut imp.items {
        let ImplItem::Fn(method) = item else { continue };
        let by_ref = method
            .sig
            .receiver()
            .is_some_and(|r| matches!(r.kind, syn::ReceiverKind::Reference(..)));
        QualifySelfCalls { methods: &methods, trait_path: &trait_path, method_calls: by_ref }
            .visit_block_mut(&mut method.block);
    }
}

/// Qualifies calls of a trait's methods on `self` inside one method of an
/// impl of that trait (see the module docs).
struct QualifySelfCalls<'a> {
    /// The methods of the trait (by name).
    methods: &'a [String],
    /// The trait, as the impl names it (with generic arguments).
    trait_path: &'a Path,
    /// Also qualify `self.m(..)`: only sound where `self` is a reference
    /// (the qualified form does no auto-referencing).
    method_calls: bool,
}

impl VisitMut for QualifySelfCalls<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Expr::Call(call) = expr
            && let Expr::Path(func) = &mut *call.func
            && func.qself.is_none()
            && func.path.segments.len() == 2
            && func.path.segments[0].ident == "Self"
            && self.methods.contains(&func.path.segments[1].ident.to_string())
        {
            let (trait_path, method) = (self.trait_path, &func.path.segments[1]);
            let qualified: syn::ExprPath = syn::parse_quote!(<Self as #trait_path>::#method);
            *func = qualified;
            return;
        }
        let Expr::MethodCall(call) = expr else { return };
        let on_self = matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self"));
        if !self.method_calls
            || !on_self
            || call.turbofish.is_some()
            || !self.methods.contains(&call.method.to_string())
        {
            return;
        }
        let (trait_path, method, args) = (self.trait_path, &call.method, &call.args);
        let receiver = &call.receiver;
        *expr = syn::parse_quote!(<Self as #trait_path>::#method(#receiver, #args));
    }

    // Nested items have no `self` of ours.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens as _;

    #[test]
    fn own_methods_are_qualified_on_self_only() {
        let mut imp: ItemImpl = syn::parse_quote! {
            impl Store<u8> for X {
                async fn get(&self) -> u8 { self.get().await + Self::get(self).await + other.get() + self.len() }
                async fn owned(self) -> u8 { self.get().await }
            }
        };
        self_calls(&mut imp);
        let text = imp.into_token_stream().to_string();
        assert_eq!(text.matches("< Self as Store < u8 > > :: get (self ,)").count(), 2, "{text}");
        assert!(text.contains("< Self as Store < u8 > > :: get (self)"), "{text}");
        assert!(text.contains("other . get ()") && text.contains("self . len ()"), "{text}");
    }
}
