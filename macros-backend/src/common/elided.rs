//! Elided lifetimes inside `impl Trait` arguments, named.
//!
//! `async fn f(ids: impl IntoIterator<Item = &str>)` is valid, but the same
//! argument in a plain fn is E0658 ("anonymous lifetimes in `impl Trait` are
//! unstable"): both macros turn async fns into plain ones (the desugared
//! original, the blocking twin). So each elided lifetime inside an
//! `impl Trait` argument gets a lifetime parameter of its own, which is what
//! the elision means there.
//!
//! Input:  `fn f(&self, ids: impl IntoIterator<Item = (&str, Option<&'_ str>)>)`.
//! Output: `fn f<'__elided0, '__elided1>(&self, ids: impl IntoIterator<Item =
//!          (&'__elided0 str, Option<&'__elided1 str>)>)`.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, GenericParam, Lifetime, Signature};

/// Names the elided lifetimes of `sig`'s `impl Trait` arguments (see the
/// module docs). Other arguments and the output are left as they are.
pub(crate) fn name_in_impl_args(sig: &mut Signature) {
    let mut namer = Namer { depth: 0, named: Vec::new() };
    for input in &mut sig.inputs {
        if let FnArg::Typed(typed) = input {
            namer.visit_type_mut(&mut typed.ty);
        }
    }
    for lifetime in namer.named.into_iter().rev() {
        let param: GenericParam = syn::parse_quote!(#lifetime);
        sig.generics.params.insert(0, param);
    }
    if !sig.generics.params.is_empty() && sig.generics.lt_token.is_none() {
        sig.generics.lt_token = Some(syn::Token![<](Span::call_site()));
        sig.generics.gt_token = Some(syn::Token![>](Span::call_site()));
    }
}

/// The visitor: inside an `impl Trait`, names each elided lifetime.
struct Namer {
    /// How many `impl Trait`s the visitor is inside.
    depth: usize,
    /// The lifetimes named so far.
    named: Vec<Lifetime>,
}

impl Namer {
    /// A fresh lifetime.
    fn fresh(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'__elided{}", self.named.len()), Span::mixed_site());
        self.named.push(lifetime.clone());
        lifetime
    }
}

impl VisitMut for Namer {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut syn::TypeImplTrait) {
        self.depth += 1;
        visit_mut::visit_type_impl_trait_mut(self, ty);
        self.depth -= 1;
    }

    fn visit_type_reference_mut(&mut self, ty: &mut syn::TypeReference) {
        if self.depth > 0 && ty.lifetime.is_none() {
            ty.lifetime = Some(self.fresh());
        }
        visit_mut::visit_type_reference_mut(self, ty);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if self.depth > 0 && lifetime.ident == "_" {
            *lifetime = self.fresh();
        }
    }

    // `impl Fn(&str) -> &str`: a higher-ranked elision of its own, valid as is.
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    // `dyn Trait` and `fn(&T)` inside have their own elision rules.
    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}
    fn visit_type_trait_object_mut(&mut self, _: &mut syn::TypeTraitObject) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens as _;

    fn named(sig: &str) -> String {
        let mut sig: Signature = syn::parse_str(sig).unwrap();
        name_in_impl_args(&mut sig);
        sig.into_token_stream().to_string()
    }

    #[test]
    fn elided_lifetimes_inside_impl_args_get_names() {
        assert_eq!(
            named(
                "fn f<T>(&self, a: &str, ids: impl IntoIterator<Item = (&str, Option<&'_ str>)>)"
            ),
            "fn f < '__elided0 , '__elided1 , T > (& self , a : & str , ids : impl IntoIterator \
             < Item = (& '__elided0 str , Option < & '__elided1 str >) >)"
        );
    }

    #[test]
    fn closures_trait_objects_and_plain_args_are_left_alone() {
        for sig in [
            "fn f(a: &str, b: impl Fn(&str) -> &str)",
            "fn f(b: impl AsRef<dyn Fn(&u8)>)",
            "fn f(b: impl Iterator<Item = &'static str>)",
        ] {
            assert_eq!(
                named(sig),
                syn::parse_str::<Signature>(sig).unwrap().into_token_stream().to_string()
            );
        }
    }
}
