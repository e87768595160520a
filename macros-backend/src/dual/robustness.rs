//! `#[dual]` never panics: every prefix and one-token deletion of sample
//! items (and of their bodies and options) expands to something, errors or not.

use super::expand;
use proc_macro2::TokenStream;
use quote::quote;

/// Every prefix, and every one-token deletion, of the top-level tokens of
/// `tokens`, and the same inside its last group (the body).
fn mutations(tokens: &TokenStream) -> Vec<TokenStream> {
    let trees: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    let mut out = Vec::new();
    for cut in 0..=trees.len() {
        out.push(trees[..cut].iter().cloned().collect());
        let mut without = trees.clone();
        if cut < without.len() {
            without.remove(cut);
            out.push(without.into_iter().collect());
        }
    }
    if let Some(proc_macro2::TokenTree::Group(body)) = trees.last() {
        let head: TokenStream = trees[..trees.len() - 1].iter().cloned().collect();
        for inner in mutations_flat(&body.stream()) {
            let group = proc_macro2::Group::new(body.delimiter(), inner);
            out.push(quote!(#head #group));
        }
    }
    out
}

/// Every prefix and one-token deletion of `tokens` (no recursion).
fn mutations_flat(tokens: &TokenStream) -> Vec<TokenStream> {
    let trees: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    (0..=trees.len())
        .flat_map(|cut| {
            let prefix: TokenStream = trees[..cut].iter().cloned().collect();
            let mut without = trees.clone();
            if cut < without.len() {
                without.remove(cut);
            }
            [prefix, without.into_iter().collect()]
        })
        .collect()
}

#[test]
fn truncated_and_mangled_inputs_never_panic() {
    let items = [
        quote!(
            pub async fn f(x: u32) -> u32 {
                let a = async {
                    if x > 1 {
                        return 1;
                    }
                    2
                }
                .await;
                println!("{}", g().await);
                a
            }
        ),
        quote!(
            impl<T> W<T> {
                async fn new() -> Self {
                    Self::new().await
                }
                #[dual(skip)]
                async fn s(&self) {}
            }
        ),
        quote!(
            pub trait Store: Sync {
                async fn get(&self) -> u8;
                async fn two(&self) -> u8 {
                    self.get().await * 2
                }
            }
        ),
        quote!(impl Store for X { async fn get(&self) -> u8 { Self::get(self).await + Store::get(self).await + self.get().await } }),
        quote!(
            pub mod m {
                use super::x;
                pub(super) static S: u8 = 1;
                pub async fn f() {
                    self::f().await
                }
                mod n {
                    async fn g() {}
                }
            }
        ),
        quote!(
            fn f<F: Future<Output = u8>>(f: F) -> impl Future<Output = u8> {
                async move { f.await }
            }
        ),
    ];
    let args = [
        quote!(),
        quote!(strict, send),
        quote!(blocking = x, crate = ::c, tokio_to_std, replace(a => b)),
    ];
    let mut count = 0;
    for item in &items {
        for mangled in mutations(item) {
            for arg in &args {
                let _ = expand(arg.clone(), mangled.clone());
                count += 1;
            }
        }
        for arg in mutations_flat(&args[2]) {
            let _ = expand(arg, item.clone());
            count += 1;
        }
    }
    assert!(count > 500, "{count}");
}
