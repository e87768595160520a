//! What the robustness harnesses check on one expansion, in one place for the
//! corpus and adversarial tests and the fuzz target (through the crate's
//! `check_expansion` and `made_async`), so all three hold the macros to the
//! same property as the real attribute:
//!
//! - the output parses as items (for an input that is an item), both as the
//!   tokens the expansion returned and after a round trip through text
//!   (`to_string()` → `TokenStream::from_str` → parse). The attribute's
//!   `proc_macro2` → `proc_macro::TokenStream` conversion hands rustc the
//!   tokens with their spacing, and rustc glues or splits punctuation by it;
//!   text is where a token that only exists as a tree (a lone `'`, an `Alone`
//!   punct meant to be joint) shows up, and re-parsing it must give the same
//!   items;
//! - an input that is no item comes back with a `compile_error!`.
//!
//! [`made_async`] widens what a harness can try under `#[dual]`: every fn of
//! an item made `async`, so every real body shape goes through the rewrite,
//! not only the bodies that happened to be async already.

use std::str::FromStr as _;

use proc_macro2::TokenStream;
use quote::ToTokens as _;

use super::compile_error::has_compile_error;

/// What one expansion gave, as the harnesses classify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Items without a top-level `compile_error!`.
    Expanded,
    /// Items with at least one top-level `compile_error!` (the macro's error),
    /// or, for an input that is no item, any output with a `compile_error!`.
    Rejected,
    /// The output does not parse as items (as tokens or after a round trip
    /// through text), or an input that is no item came back without a
    /// `compile_error!`: why, and the output.
    Unparsable(String),
}

/// Classifies `output`, the expansion of `item` (see the module docs).
#[must_use]
pub fn check_expansion(item: &TokenStream, output: &TokenStream) -> Checked {
    if syn::parse2::<syn::Item>(item.clone()).is_err() {
        // Input that is no item comes back as an error beside the input as
        // given (the best-effort expansion), which cannot parse either.
        return if has_compile_error(output) {
            Checked::Rejected
        } else {
            Checked::Unparsable(format!("no compile_error! for a non-item: {output}"))
        };
    }
    // rustc then expands the macro each twin is the body of (`respan`).
    let output = crate::dual::respan::unwrap_all(output.clone());
    match parse_as_rustc_would(&output) {
        Err(why) => Checked::Unparsable(why),
        Ok(file) if file.items.iter().any(is_compile_error) => Checked::Rejected,
        Ok(_) => Checked::Expanded,
    }
}

/// `output` parsed as items, as tokens and after a round trip through text;
/// an error when either fails or the two disagree.
fn parse_as_rustc_would(output: &TokenStream) -> Result<syn::File, String> {
    let file = syn::parse2::<syn::File>(output.clone()).map_err(|e| format!("{e}: {output}"))?;
    let text = output.to_string();
    let relexed = TokenStream::from_str(&text)
        .map_err(|e| format!("its text does not lex back into tokens: {e}: {text}"))?;
    let reparsed = syn::parse2::<syn::File>(relexed)
        .map_err(|e| format!("its text does not parse back: {e}: {text}"))?;
    let again = reparsed.to_token_stream().to_string();
    if file.to_token_stream().to_string() != again {
        return Err(format!("its text parses to other items: {text}\nreparsed: {again}"));
    }
    Ok(file)
}

/// Whether `item` is a `compile_error!(..)` invocation.
fn is_compile_error(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Macro(m)
        if m.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error"))
}

/// `item` with every fn it declares made `async` (a free fn, the methods of
/// an impl or trait, the fns, methods and nested inline modules of an inline
/// module; not the items nested in fn bodies), `const` dropped where it was
/// (no fn is both). `None` when `item` does not parse as an item or has no
/// fn that was not async already.
#[must_use]
pub fn made_async(item: &TokenStream) -> Option<TokenStream> {
    let mut item = syn::parse2::<syn::Item>(item.clone()).ok()?;
    make_async(&mut item).then(|| item.into_token_stream())
}

/// Makes every fn `item` declares `async` (see [`made_async`]); whether one
/// was not before.
pub(crate) fn make_async(item: &mut syn::Item) -> bool {
    match item {
        syn::Item::Fn(f) => set_async(&mut f.sig),
        syn::Item::Impl(imp) => imp.items.iter_mut().fold(false, |changed, item| match item {
            syn::ImplItem::Fn(f) => set_async(&mut f.sig) | changed,
            _ => changed,
        }),
        syn::Item::Trait(tr) => tr.items.iter_mut().fold(false, |changed, item| match item {
            syn::TraitItem::Fn(f) => set_async(&mut f.sig) | changed,
            _ => changed,
        }),
        syn::Item::Mod(module) => module
            .content
            .as_mut()
            .is_some_and(|(_, items)| items.iter_mut().fold(false, |c, i| make_async(i) | c)),
        _ => false,
    }
}

/// Makes `sig` async (and not `const`); whether it was not async before.
fn set_async(sig: &mut syn::Signature) -> bool {
    if sig.asyncness.is_some() {
        return false;
    }
    sig.asyncness = Some(syn::Token![async](proc_macro2::Span::call_site()));
    sig.constness = None;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::{Punct, Spacing, TokenTree};
    use quote::quote;

    #[test]
    fn made_async_reaches_every_fn_but_not_nested_bodies() {
        let item = quote!(
            mod m {
                const fn a() {
                    fn inner() {}
                }
                impl S {
                    fn b(&self) {}
                    async fn c(&self) {}
                }
                trait T {
                    fn d(&self);
                }
                mod n {
                    fn e() {}
                }
            }
        );
        let made = made_async(&item).expect("sync fns to make async").to_string();
        for fn_ in ["async fn a", "async fn b", "async fn c", "async fn d", "async fn e"] {
            assert!(made.contains(fn_), "{fn_}: {made}");
        }
        assert!(made.contains("{ fn inner"), "{made}");
        assert!(!made.contains("const"), "{made}");
        for unchanged in [
            quote!(
                async fn f() {}
            ),
            quote!(
                struct S;
            ),
            quote!(not an item),
        ] {
            assert!(made_async(&unchanged).is_none(), "{unchanged}");
        }
    }

    #[test]
    fn classifies_items_errors_and_garbage() {
        let item = quote!(
            fn f() {}
        );
        assert_eq!(
            check_expansion(
                &item,
                &quote!(
                    fn f() {}
                    fn g() {}
                )
            ),
            Checked::Expanded
        );
        let error = quote!(::core::compile_error!("no"); fn f() {});
        assert_eq!(check_expansion(&item, &error), Checked::Rejected);
        assert!(matches!(check_expansion(&item, &quote!(fn f(,) {})), Checked::Unparsable(_)));
        let garbage = quote!(fn);
        assert_eq!(check_expansion(&garbage, &quote!(compile_error!("x"); fn)), Checked::Rejected);
        assert!(matches!(check_expansion(&garbage, &quote!(fn)), Checked::Unparsable(_)));
    }

    /// `fn f() -> u8 { 1 <punct> 2 }` with `puncts` as the operator's tokens.
    fn with_operator(puncts: &[(char, Spacing)]) -> TokenStream {
        let operator: TokenStream =
            puncts.iter().map(|&(c, s)| TokenTree::Punct(Punct::new(c, s))).collect();
        quote!(fn f() -> bool { 1 #operator 2 })
    }

    #[test]
    fn a_token_tree_that_means_something_else_as_text_is_caught() {
        let item = quote!(
            fn f() {}
        );
        let joint = with_operator(&[('<', Spacing::Joint), ('=', Spacing::Alone)]);
        assert_eq!(check_expansion(&item, &joint), Checked::Expanded);
        // `<` then `=` not joined: `1 < = 2` is no expression, as tokens or text.
        let apart = with_operator(&[('<', Spacing::Alone), ('=', Spacing::Alone)]);
        assert!(matches!(check_expansion(&item, &apart), Checked::Unparsable(_)));
        // A lifetime's quote left `Alone` parses as tokens to nothing valid,
        // and its text does not lex: caught either way.
        let quote_ = TokenTree::Punct(Punct::new('\'', Spacing::Alone));
        let lone = quote!(fn f<#quote_ a>() {});
        assert!(matches!(check_expansion(&item, &lone), Checked::Unparsable(_)), "{lone}");
    }
}
