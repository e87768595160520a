//! The blanket impl of a `#[dual]` trait's blocking twin:
//! `impl<S: Store> BlockingStore for S`, every method forwarding to the
//! async trait's, every async one settled by type (a `#[dual]` future runs
//! its blocking twin; the future of a method kept async-only by an
//! attribute macro is bridged). Because the blocking trait comes with every
//! `impl Store`, a trait impl never names `BlockingStore`: it needs no
//! import, and a module that has both traits in scope only meets the method
//! ambiguity its own code would meet.
//!
//! Input:  `trait Store<K>: Sup where W { type E; const N: u8; fn cfg(&self) -> u8;
//!          async fn get(&self, k: K) -> T; }` and its blocking copy.
//! Output: `impl<K, S: Store<K>> BlockingStore<K> for S where W[Self := S] {
//!              type E = <S as Store<K>>::E; const N: u8 = <S as Store<K>>::N;
//!              fn cfg(&self) -> u8 { <S as Store<K>>::cfg(self) }
//!              fn get(&self, k: K) -> T { settle!(<S as Store<K>>::get(self, k)) } }`

use super::super::options::Args;
use super::super::rewrite::{closure_params, closure_ty};
use crate::common::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, GenericParam, ItemTrait, TraitItem};

/// The blanket impl of `blocking` (the blocking trait) for every implementor
/// of `async_trait`; `async_names` are the methods whose futures it settles.
pub(super) fn impl_for(
    async_trait: &ItemTrait,
    blocking: &ItemTrait,
    async_names: &[String],
    args: &Args,
    errors: &mut Errors,
) -> TokenStream {
    let implementor = syn::Ident::new("__TwoworldsSelf", Span::mixed_site());
    let (name, twin_name) = (&async_trait.ident, &blocking.ident);
    let params = &async_trait.generics.params;
    let trait_args = trait_args(params);
    let bound = quote!(<#implementor as #name #trait_args>);
    let mut impl_params: Vec<GenericParam> = params.iter().cloned().map(no_default).collect();
    impl_params.push(syn::parse_quote!(#implementor: #name #trait_args));
    let mut where_clause = async_trait.generics.where_clause.clone();
    if let Some(clause) = &mut where_clause {
        SelfIs(&implementor).visit_where_clause_mut(clause);
    }
    let in_async_trait: Vec<String> = async_trait.items.iter().filter_map(item_name).collect();
    let to = Forwarding { async_trait, bound: &bound, twin_name, async_names, args };
    let mut items = Vec::new();
    for item in &blocking.items {
        let hidden = match item {
            TraitItem::Fn(f) => Some(super::hidden::hidden_name(&f.sig.ident)),
            _ => None,
        };
        if let (TraitItem::Fn(f), Some(hidden)) = (item, hidden)
            && in_async_trait.contains(&hidden.to_string())
        {
            items.push(to.method(f, &hidden));
        } else if keep(item, &in_async_trait, errors) {
            items.extend(to.item(item, errors));
        }
    }
    let unsafety = &blocking.unsafety;
    quote! {
        #unsafety impl<#(#impl_params),*> #twin_name #trait_args for #implementor #where_clause {
            #(#items)*
        }
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

/// Whether the blanket impl forwards `item` of the blocking trait: not when
/// the async trait lacks it (`#[only_blocking]`), which is fine with a
/// default and an error without one (nothing to forward to).
fn keep(item: &TraitItem, in_async_trait: &[String], errors: &mut Errors) -> bool {
    let Some(name) = item_name(item) else { return true };
    if in_async_trait.contains(&name) {
        return true;
    }
    let has_default = match item {
        TraitItem::Fn(f) => f.default.is_some(),
        TraitItem::Type(t) => t.default.is_some(),
        TraitItem::Const(c) => c.default.is_some(),
        _ => true,
    };
    if !has_default {
        errors.push(syn::Error::new(
            Span::call_site(),
            format!(
                "#[dual]: `{name}` is only in the blocking trait (#[only_blocking]) and has no \
                 default: every implementor of the async trait is given the blocking one by a \
                 blanket impl, which has nothing to forward `{name}` to\n\
                 give it a default, or put it in both worlds"
            ),
        ));
    }
    false
}

/// `<'a, T, N>`: the trait's own parameters, as arguments.
fn trait_args(params: &syn::punctuated::Punctuated<GenericParam, syn::Token![,]>) -> TokenStream {
    if params.is_empty() {
        return TokenStream::new();
    }
    let args = params.iter().map(|param| match param {
        GenericParam::Lifetime(l) => {
            let lifetime = &l.lifetime;
            quote!(#lifetime)
        }
        GenericParam::Type(t) => {
            let ident = &t.ident;
            quote!(#ident)
        }
        GenericParam::Const(c) => {
            let ident = &c.ident;
            quote!(#ident)
        }
    });
    quote!(<#(#args),*>)
}

/// A trait's parameter as an impl's: without its default.
fn no_default(mut param: GenericParam) -> GenericParam {
    match &mut param {
        GenericParam::Type(t) => t.default = None,
        GenericParam::Const(c) => c.default = None,
        GenericParam::Lifetime(_) => {}
    }
    param
}

/// Where the blanket impl's items forward to.
struct Forwarding<'a> {
    /// The async trait.
    async_trait: &'a ItemTrait,
    /// The async trait, as the implementor's: `<S as Store<K>>`.
    bound: &'a TokenStream,
    /// The blocking trait's name, for labels.
    twin_name: &'a syn::Ident,
    /// The async trait's async methods, whose futures are settled.
    async_names: &'a [String],
    /// The invocation's options (`crate`).
    args: &'a Args,
}

impl Forwarding<'_> {
    /// The blanket impl's item forwarding `item` of the blocking trait;
    /// `None` for an item it need not provide.
    fn item(&self, item: &TraitItem, errors: &mut Errors) -> Option<TokenStream> {
        let bound = self.bound;
        match item {
            TraitItem::Const(c) => {
                let (ident, ty) = (&c.ident, &c.ty);
                Some(quote!(const #ident: #ty = #bound::#ident;))
            }
            TraitItem::Type(t) => {
                let (ident, generics) = (&t.ident, &t.generics);
                let (_, type_args, _) = generics.split_for_impl();
                let where_clause = &generics.where_clause;
                let params = &generics.params;
                let params = (!params.is_empty()).then(|| quote!(<#params>));
                Some(quote!(type #ident #params = #bound::#ident #type_args #where_clause;))
            }
            TraitItem::Fn(f) => Some(self.method(f, &f.sig.ident)),
            TraitItem::Macro(m) => {
                errors.push(syn::Error::new_spanned(
                    &m.mac,
                    "#[dual] cannot forward a trait item made by a macro to the blanket impl of \
                     the blocking trait: write the item out, or keep it in a trait without #[dual]",
                ));
                None
            }
            _ => None,
        }
    }

    /// A method of the blanket impl: the blocking trait's signature
    /// (arguments renamed, their patterns are the trait's business), calling
    /// the async trait's method named `to`; an async one's future is settled.
    fn method(&self, f: &syn::TraitItemFn, to: &syn::Ident) -> TokenStream {
        let mut sig = f.sig.clone();
        // Closure params of `to` that return futures where the blocking
        // method takes sync closures take adapted ones.
        let still_async: Vec<usize> =
            closure_params::async_closure_args(&sig).iter().map(|closure| closure.index).collect();
        let mut closures = async_sig(self.async_trait, to)
            .map(closure_params::async_closure_args)
            .unwrap_or_default();
        closures.retain(|closure| !still_async.contains(&closure.index));
        let mut call_args = Vec::new();
        for (index, input) in sig.inputs.iter_mut().enumerate() {
            match input {
                FnArg::Receiver(receiver) => {
                    let token = receiver.self_token;
                    call_args.push(quote!(#token));
                }
                FnArg::Typed(typed) => {
                    let name = format_ident!("__arg{}", index, span = Span::mixed_site());
                    *typed.pat = syn::parse_quote!(#name);
                    let closure = closures.iter().find(|closure| closure.index == index);
                    let krate = self.args.krate();
                    call_args.push(closure.map_or_else(
                        || quote!(#name),
                        |closure| closure_ty::lazy_closure(&krate, &name, closure),
                    ));
                }
            }
        }
        let ident = &sig.ident;
        // A closure adapted by `closure_ty::lazy_closure` has a type of its own: the
        // call infers the params instead of naming them.
        let callee = if closures.is_empty() {
            super::super::twin::callee(syn::parse_quote!(#to), &sig)
        } else {
            syn::parse_quote!(#to)
        };
        let bound = self.bound;
        let call = quote!(#bound::#callee(#(#call_args),*));
        if !self.async_names.contains(&ident.to_string()) {
            return quote!(#[inline] #sig { #call });
        }
        // The misuse check names the method as its caller called it.
        let krate = self.args.krate();
        let label = format!("{}::{ident}", self.twin_name);
        let check = super::super::rewrite::misuse_check_tokens(&krate, &label);
        quote! {
            #[inline]
            #[cfg_attr(debug_assertions, track_caller)]
            #sig {
                #check
                #krate::__private::settle_await!(
                    settle,
                    ::core::concat!(::core::module_path!(), "::", #label),
                    #call
                )
            }
        }
    }
}

/// The signature of the async trait's method `name`.
fn async_sig<'a>(async_trait: &'a ItemTrait, name: &syn::Ident) -> Option<&'a syn::Signature> {
    async_trait.items.iter().find_map(|item| match item {
        TraitItem::Fn(f) if f.sig.ident == *name => Some(&f.sig),
        _ => None,
    })
}

/// Input: a where clause of the trait (`where Self: Sized`).
/// Output: the same about the implementor (`where __TwoworldsSelf: Sized`).
struct SelfIs<'a>(&'a syn::Ident);

impl VisitMut for SelfIs<'_> {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        if ty.qself.is_none()
            && let Some(first) = ty.path.segments.first_mut()
            && first.ident == "Self"
        {
            first.ident = self.0.clone();
        }
        visit_mut::visit_type_path_mut(self, ty);
    }
}
