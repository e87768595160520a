//! What the params of an async fn are, and how its body uses them: the
//! facts the signature rewrites ([`super::future_ty`],
//! [`super::closure_ty`]) decide by.

use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Type, TypeParamBound};

/// The `T` of a `Future<Output = T>` bound, if `bounds` has one (`()` when
/// `Output` is not named).
pub(super) fn future_output(bounds: &Punctuated<TypeParamBound, syn::Token![+]>) -> Option<Type> {
    bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else { return None };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return Some(syn::parse_quote!(()));
        };
        args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(assoc.ty.clone())
            }
            _ => None,
        })
    })
}

/// The future params the body does more with than `.await` them
/// (`f.fuse()`, `timeout(d, f)`): they stay futures in the twin, whose
/// `.await`s on them are then settled as foreign futures.
#[derive(Default)]
pub(super) struct Kept {
    /// Their names.
    pub(super) params: Vec<String>,
    /// The type params they have (`F` of `f: F`, and the `Fut` a kept
    /// closure returns): kept too.
    pub(super) generics: Vec<String>,
}

/// Whether every use of `name` in `body` is `name.await` or
/// `name(..).await`.
pub(super) fn only_awaited(name: &str, body: &syn::Block) -> bool {
    let mut uses = Uses { name, all: 0, awaited: 0 };
    uses.visit_block(body);
    uses.all == uses.awaited
}

/// Counts the uses of one name in a body, and those that are `name.await`
/// or `name(..).await` (in macro arguments too, as tokens).
struct Uses<'a> {
    /// The name.
    name: &'a str,
    /// Every use.
    all: usize,
    /// The `name.await` and `name(..).await` uses.
    awaited: usize,
}

impl Visit<'_> for Uses<'_> {
    fn visit_expr_await(&mut self, awaited: &syn::ExprAwait) {
        let is_name =
            |expr: &syn::Expr| matches!(expr, syn::Expr::Path(p) if p.path.is_ident(self.name));
        match &*awaited.base {
            base if is_name(base) => self.awaited += 1,
            syn::Expr::Call(call) if is_name(&call.func) => self.awaited += 1,
            _ => {}
        }
        visit::visit_expr_await(self, awaited);
    }

    fn visit_expr_path(&mut self, path: &syn::ExprPath) {
        if path.path.is_ident(self.name) {
            self.all += 1;
        }
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        let tokens: Vec<proc_macro2::TokenTree> = mac.tokens.clone().into_iter().collect();
        count_in_tokens(&tokens, self);
    }
}

/// [`Uses`] over macro tokens: `name` anywhere, `name . await` and `name
/// (..) . await`.
fn count_in_tokens(tokens: &[proc_macro2::TokenTree], uses: &mut Uses<'_>) {
    use proc_macro2::{Delimiter, TokenTree};
    let is_await = |rest: &[TokenTree]| {
        matches!(rest, [TokenTree::Punct(dot), TokenTree::Ident(kw), ..]
            if dot.as_char() == '.' && kw == "await")
    };
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                count_in_tokens(&inner, uses);
            }
            TokenTree::Ident(ident) if ident == uses.name => {
                uses.all += 1;
                let rest = &tokens[index + 1..];
                let awaited = match rest {
                    [TokenTree::Group(args), after @ ..]
                        if args.delimiter() == Delimiter::Parenthesis =>
                    {
                        is_await(after)
                    }
                    _ => is_await(rest),
                };
                uses.awaited += usize::from(awaited);
            }
            _ => {}
        }
    }
}
