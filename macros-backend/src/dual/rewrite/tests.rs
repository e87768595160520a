//! Unit tests of each rewrite, through [`super::blocking_fn`] on one fn.

use super::super::ir::{Scope, Twin};
use super::blocking_fn;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

/// The blocking twin of `function` (signature and body, as text) and the errors.
fn twin_with(function: TokenStream, scope: &Scope, strict: bool) -> (String, Vec<String>) {
    let mut function: syn::ItemFn = syn::parse2(function).unwrap();
    let twin = Twin {
        label: "blocking_f".to_owned(),
        strict,
        krate: syn::parse_quote!(::twoworlds),
        tokio_to_std: false,
    };
    let mut errors = Errors::default();
    blocking_fn(&mut function.sig, Some(&mut function.block), scope, &twin, &mut errors);
    let text = function.to_token_stream().to_string();
    let messages = errors.finish().err().map(|e| e.into_iter().map(|e| e.to_string()).collect());
    (text, messages.unwrap_or_default())
}

/// [`twin_with`] with a scope holding `helper` → `blocking_helper` and the
/// method `get` → `blocking_get`, not strict, without errors.
fn twin(function: TokenStream) -> String {
    let mut scope = Scope::default();
    scope.fns.insert("helper".into(), syn::parse_quote!(blocking_helper));
    scope.methods.insert("get".into(), syn::parse_quote!(blocking_get));
    scope.self_names = vec!["Self".into(), "Client".into()];
    let (text, errors) = twin_with(function, &scope, false);
    assert!(errors.is_empty(), "{errors:?}");
    text
}

#[test]
fn await_on_own_items_calls_the_twins() {
    let out = twin(quote!(
        async fn f(&self) -> u32 {
            helper(1).await + self.get(2).await + Self::get(3).await + Client::get(4).await
        }
    ));
    assert!(out.contains("fn f (& self) -> u32"), "{out}");
    assert!(out.contains("blocking_helper (1) + self . blocking_get (2) + Self :: blocking_get (3) + Client :: blocking_get (4)"), "{out}");
    assert!(!out.contains("await") && !out.contains("block_on"), "{out}");
}

#[test]
fn await_on_anything_else_is_bridged_or_rejected_under_strict() {
    let out = twin(quote!(
        async fn f() -> u32 {
            other.get(1).await + g().await
        }
    ));
    assert_eq!(out.matches("block_on_named").count(), 2, "{out}");
    let (_, errors) = twin_with(
        quote!(
            async fn f() {
                g().await;
                h().await
            }
        ),
        &Scope::default(),
        true,
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("#[dual(strict)]") && errors[0].contains("replace("), "{errors:?}");
}

#[test]
fn async_blocks_keep_their_meaning() {
    let out = twin(quote!(
        async fn f(c: bool) -> u32 {
            let a = async { 1 }.await;
            let b = async {
                if c {
                    return 1;
                }
                2
            }
            .await;
            let d = (async move { a }).await;
            let e = async {
                f()?;
                1
            };
            a + b + d + e.await
        }
    ));
    assert!(out.contains("let a = { 1 } ;"), "{out}");
    assert!(out.contains("let b = (| | { if c { return 1 ; } 2 }) () ;"), "{out}");
    assert!(out.contains("let d = (move | | { a }) () ;"), "{out}");
    assert!(out.contains("let e = | | { f () ? ; 1 } ;"), "{out}");
    assert!(out.contains("a + b + d + e ()"), "{out}");
}

#[test]
fn async_closures_become_closures() {
    let out = twin(quote!(
        async fn f() -> u32 {
            let g = async move |x: u32| x + 1;
            let h = |x: u32| async move { x * 2 };
            g(1).await + h(2).await
        }
    ));
    assert!(out.contains("let g = move | x : u32 | x + 1 ;"), "{out}");
    assert!(out.contains("let h = | x : u32 | (move | | { x * 2 }) () ;"), "{out}");
    assert!(out.contains("g (1) + h (2)"), "{out}");
}

#[test]
fn locals_holding_own_futures_are_values() {
    let out = twin(quote!(
        async fn f() -> u32 {
            let a = helper(1);
            let b = self.get(2);
            a.await + b.await
        }
    ));
    assert!(out.contains("let a = blocking_helper (1) ;"), "{out}");
    assert!(out.contains("let b = self . blocking_get (2) ;"), "{out}");
    assert!(out.contains("a + b"), "{out}");
}

#[test]
fn macro_arguments_are_rewritten() {
    let out = twin(quote!(
        async fn f() {
            println!("{} {x}", helper(1).await, x = helper(2).await);
            assert_eq!(helper(3).await, 3, "msg {}", 1);
            let v = vec![helper(4).await; 2];
            let m = matches!(helper(5).await, Some(_) | None);
            let plain = format!("{}", 1);
        }
    ));
    assert!(!out.contains("await"), "{out}");
    assert!(out.contains("vec ! [blocking_helper (4) ; 2]"), "{out}");
    assert!(out.contains("matches ! (blocking_helper (5) , Some (_) | None)"), "{out}");
    assert!(out.contains("format ! (\"{}\" , 1)"), "{out}");
}

#[test]
fn unparseable_macro_with_await_is_an_error() {
    let (_, errors) = twin_with(
        quote!(
            async fn f() {
                m!(x.await => y => z.await)
            }
        ),
        &Scope::default(),
        false,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("cannot rewrite `.await` inside `m!`"), "{errors:?}");
}

#[test]
fn impl_future_return_and_future_params_become_values() {
    let out = twin(quote!(
        fn f(x: u32) -> impl ::core::future::Future<Output = u32> + Send {
            async move { x }
        }
    ));
    assert!(out.contains("fn f (x : u32) -> u32 { (move | | { x }) () }"), "{out}");
    let out = twin(quote!(
        async fn f<F: Future<Output = u8>, G>(a: F, b: impl Future<Output = u16>, g: G) -> u8
        where
            G: Clone,
        {
            a.await + b.await as u8
        }
    ));
    assert!(out.contains("fn f < G > (a : u8 , b : u16 , g : G) -> u8"), "{out}");
    assert!(out.contains("{ a + b as u8 }"), "{out}");
    let (_, errors) = twin_with(
        quote!(
            async fn f<F: Future<Output = u8>>(a: &F) {}
        ),
        &Scope::default(),
        false,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn nested_items_and_inner_closures() {
    let out = twin(quote!(
        async fn f() -> u32 {
            async fn inner() -> u32 {
                1
            }
            let c = || helper(1);
            inner().await + c().await
        }
    ));
    assert!(out.contains("async fn inner () -> u32 { 1 }"), "{out}");
    assert!(out.contains("block_on_named"), "{out}");
}

#[test]
fn an_async_block_handed_on_stays_a_future() {
    let out = twin(quote!(
        async fn f() -> u32 {
            let later = async { 1 };
            let handed = async { 2 };
            spawn(handed);
            run(async move { helper(3).await }) + later.await
        }
    ));
    // Awaited later: a closure, called where it was awaited.
    assert!(out.contains("let later = | | { 1 }"), "{out}");
    assert!(out.contains("later ()"), "{out}");
    // Handed to someone else: still a future, its body untouched.
    assert!(out.contains("let handed = async { 2 }"), "{out}");
    assert!(out.contains("run (async move { helper (3) . await })"), "{out}");
}

#[test]
fn a_local_awaited_inside_a_macro_is_still_deferred() {
    let out = twin(quote!(
        async fn f() -> String {
            let x = async { 1 };
            format!("{}", x.await)
        }
    ));
    assert!(out.contains("let x = | | { 1 }"), "{out}");
}
