//! How each argument of a sync original crosses to the pool thread in its
//! async twin: owned values move, `&T` is made owned first, `&mut` cannot
//! cross at all.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Type, TypeImplTrait};

use super::ir::Pass;

/// Why a `&mut` borrow can't cross, and what to do; shared by arguments and
/// `&mut self`.
pub(super) const MUT_WHY: &str = "the pool thread keeps running when the future is dropped (cancelled), \
so it could outlive the borrow";

/// What to do instead of a `&mut` argument.
pub(super) const MUT_FIX: &str = "take the value by value and return it, share it as \
`Arc<Mutex<_>>`, or mark the method `#[bridge(skip)]` and write its async twin by hand";

/// Decides how an argument of type `ty` named `name` crosses to the pool
/// thread of the async twin `twin`, and the type the twin's signature gives
/// it. `&mut` is an error spanned on the `&mut`.
pub(super) fn async_arg(ty: &Type, name: &str, twin: &str) -> syn::Result<(Pass, Type)> {
    match ty {
        Type::Reference(reference) if reference.mutability.is_some() => {
            let (and, mutability) = (&reference.and_token, &reference.mutability);
            Err(syn::Error::new_spanned(
                quote::quote!(#and #mutability),
                format!(
                    "`&mut` argument `{name}` can't cross to the pool thread of the async twin `{twin}`: \
{MUT_WHY}\nhelp: {MUT_FIX}"
                ),
            ))
        }
        Type::Reference(reference) => {
            let mut twin_ty = reference.clone();
            if let Type::ImplTrait(inner) = &*reference.elem {
                // Input: `&impl Trait` — Output: `&(impl Trait + Clone + Send + 'static)`,
                // the bounds `ToOwned::to_owned` and the pool thread need.
                let bounded = with_bounds(inner, true);
                if let Ok(parenthesized) = syn::parse2(quote::quote!((#bounded))) {
                    *twin_ty.elem = parenthesized;
                }
            }
            Ok((Pass::ToOwned, Type::Reference(twin_ty)))
        }
        Type::ImplTrait(inner) => Ok((Pass::Move, with_bounds(inner, false))),
        Type::Paren(paren) => async_arg(&paren.elem, name, twin),
        _ => Ok((Pass::Move, ty.clone())),
    }
}

/// Input: `impl Trait` — Output: `impl Trait + Send + 'static` (plus `Clone`
/// when `clone` is set), so the value may move to the pool thread.
fn with_bounds(impl_trait: &TypeImplTrait, clone: bool) -> Type {
    let bounds = impl_trait.bounds.iter().map(ToTokens::to_token_stream);
    let clone_bound = clone.then(|| quote::quote!(::core::clone::Clone+));
    // Fallible on purpose: the bounds are the user's; on failure the type
    // stays as written and the compiler reports what is missing.
    syn::parse2(quote::quote!(impl #(#bounds +)* #clone_bound ::core::marker::Send + 'static))
        .unwrap_or_else(|_| Type::ImplTrait(impl_trait.clone()))
}

/// Whether the type `tokens` borrows for less than `'static`: a `&` without
/// `'static`, or any lifetime other than `'static` (`'a`, `'_`). Such a value
/// can't come back from, or move to, a pool thread.
pub(super) fn borrows_non_static(tokens: TokenStream) -> bool {
    let mut flat = Vec::new();
    flatten(tokens, &mut flat);
    flat.iter().enumerate().any(|(index, token)| match token {
        TokenTree::Punct(punct) if punct.as_char() == '&' => {
            !is_static_lifetime(&flat[index + 1..])
        }
        TokenTree::Punct(punct) if punct.as_char() == '\'' => {
            !matches!(flat.get(index + 1), Some(TokenTree::Ident(ident)) if ident == "static")
        }
        _ => false,
    })
}

/// Whether `tokens` start with `'static`.
fn is_static_lifetime(tokens: &[TokenTree]) -> bool {
    matches!(
        tokens,
        [TokenTree::Punct(tick), TokenTree::Ident(ident), ..] if tick.as_char() == '\'' && ident == "static"
    )
}

/// Every token of `tokens`, with groups opened, in order.
fn flatten(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for token in tokens {
        if let TokenTree::Group(group) = token {
            flatten(group.stream(), out);
        } else {
            out.push(token);
        }
    }
}
