//! Unit tests of each rewrite, through [`super::blocking_fn`] on one fn.

use super::super::ir::Twin;
use super::blocking_fn;
use crate::common::Errors;
use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

/// The blocking twin of `function` (signature and body, as text) and the errors.
fn twin_with(function: TokenStream, strict: bool) -> (String, Vec<String>) {
    let mut function: syn::ItemFn = syn::parse2(function).unwrap();
    let twin = twin_settings(strict);
    let mut errors = Errors::default();
    blocking_fn(&mut function.sig, Some(&mut function.block), &twin, &mut errors);
    let text = function.to_token_stream().to_string();
    let messages = errors.finish().err().map(|e| e.into_iter().map(|e| e.to_string()).collect());
    (text, messages.unwrap_or_default())
}

/// The settings of `blocking_f`.
fn twin_settings(strict: bool) -> Twin {
    Twin {
        label: "blocking_f".to_owned(),
        strict,
        krate: syn::parse_quote!(::twoworlds),
        own_methods: std::collections::HashMap::new(),
        closure_callees: crate::dual::ir::ClosureCallees::new(),
        adapted_closures: false,
        closure_decision: None,
        as_written: false,
    }
}

/// [`twin_with`], not strict, without errors.
fn twin(function: TokenStream) -> String {
    let (text, errors) = twin_with(function, false);
    assert!(errors.is_empty(), "{errors:?}");
    text
}

/// The settling of `base` as the rewrite emits it, as text.
fn settled(method: &str, base: &str) -> String {
    format!(
        ":: twoworlds :: __private :: settle_await ! ({method} , :: core :: concat ! \
         (:: core :: module_path ! () , \"::\" , \"blocking_f\") , {base})"
    )
}

#[test]
fn every_await_is_settled_by_type_and_nothing_is_renamed() {
    let out = twin(quote!(
        async fn f(&self) -> u32 {
            helper(1).await + self.get(2).await + Self::get(3).await + tx.send(4).await
        }
    ));
    assert!(out.contains("fn f (& self) -> u32"), "{out}");
    for base in ["helper (1)", "self . get (2)", "Self :: get (3)", "tx . send (4)"] {
        assert!(out.contains(&settled("settle", base)), "{base}: {out}");
    }
    assert!(!out.contains(". await") && !out.contains("blocking_get"), "{out}");
}

#[test]
fn under_strict_every_await_is_settled_strictly() {
    let (out, errors) = twin_with(
        quote!(
            async fn f() {
                g().await;
                h().await
            }
        ),
        true,
    );
    assert!(errors.is_empty(), "the type checker decides, not the macro: {errors:?}");
    assert!(out.contains(&settled("settle_strict", "g ()")), "{out}");
    assert!(out.contains(&settled("settle_strict", "h ()")), "{out}");
}

#[test]
fn a_blocking_body_starts_with_the_misuse_check() {
    let out = twin(quote!(
        async fn f() {}
    ));
    let check = ":: twoworlds :: __private :: check_blocking_twin (:: core :: concat ! \
                 (:: core :: module_path ! () , \"::blocking_f\")) ;";
    assert_eq!(out.matches(check).count(), 2, "{out}");
    assert!(
        out.contains(&format!(
            "{{ # [cfg (debug_assertions)] {check} # [cfg (not (debug_assertions))] \
             if :: twoworlds :: __private :: TWIN_CHECKS {{ {check} }} }}"
        )),
        "{out}"
    );
}

#[test]
fn only_a_body_that_awaits_enters_the_tokio_context() {
    let enters = ":: twoworlds :: __private :: twin_runtime ()";
    let awaits = twin(quote!(
        async fn f() -> u32 {
            g().await
        }
    ));
    assert!(awaits.contains(enters), "{awaits}");
    assert!(awaits.contains(". enter ()"), "{awaits}");
    let plain = twin(quote!(
        async fn f(x: u32) -> u32 {
            x + 1
        }
    ));
    assert!(!plain.contains(enters), "a body without .await stays plain sync code: {plain}");
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
    let sum = format!("{} + {}", settled("settle", "g (1)"), settled("settle", "h (2)"));
    assert!(out.contains(&sum), "{out}");
}

#[test]
fn locals_holding_futures_are_settled_where_they_are_awaited() {
    let out = twin(quote!(
        async fn f() -> u32 {
            let a = helper(1);
            let b = self.get(2);
            a.await + b.await
        }
    ));
    // The call still builds the future where it was written; its body runs
    // where it is awaited, as in the async fn.
    assert!(out.contains("let a = helper (1) ;"), "{out}");
    assert!(out.contains("let b = self . get (2) ;"), "{out}");
    assert!(out.contains(&format!("{} + {}", settled("settle", "a"), settled("settle", "b"))));
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
    assert!(!out.contains(". await"), "{out}");
    assert!(out.contains(&format!("vec ! [{} ; 2]", settled("settle", "helper (4)"))), "{out}");
    let matched = format!("matches ! ({} , Some (_) | None)", settled("settle", "helper (5)"));
    assert!(out.contains(&matched), "{out}");
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
    assert!(out.starts_with("fn f (x : u32) -> u32 { # [cfg (debug_assertions)]"), "{out}");
    assert!(out.ends_with("(move | | { x }) () }"), "{out}");
    let out = twin(quote!(
        async fn f<F: Future<Output = u8>, G>(a: F, b: impl Future<Output = u16>, g: G) -> u8
        where
            G: Clone,
        {
            a.await + b.await as u8
        }
    ));
    assert!(out.contains("fn f < G > (a : u8 , b : u16 , g : G) -> u8"), "{out}");
    let sum = format!("{} + {} as u8", settled("settle", "a"), settled("settle", "b"));
    assert!(out.contains(&sum), "{out}");
    let (_, errors) = twin_with(
        quote!(
            async fn f<F: Future<Output = u8>>(a: &F) {}
        ),
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
    assert!(out.contains(&settled("settle", "c ()")), "{out}");
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

#[test]
fn join_and_try_join_run_their_futures_in_turn() {
    let out = twin(quote!(
        async fn f() -> u32 {
            let (a, b) = tokio::join!(g(1), async { 2 });
            futures::join!(h());
            let pair = tokio::try_join!(biased; x(), y())?;
            a + b
        }
    ));
    let joined = format!("let (a , b) = ({} , {{ 2 }} ,) ;", settled("settle", "g (1)"));
    assert!(out.contains(&joined), "{out}");

    assert!(out.contains(&format!("({} ,) ;", settled("settle", "h ()"))), "{out}");
    assert!(
        out.contains(&format!(
            "match {} {{ :: core :: result :: Result :: Ok (__joined0) => match {}",
            settled("settle", "x ()"),
            settled("settle", "y ()")
        )),
        "{out}"
    );
    assert!(!out.contains("join !"), "{out}");
}

#[test]
fn a_select_statement_without_semicolon_stays_a_statement() {
    // The corpus's 10 unparsable outputs: `select! {..} g();` became
    // `settle_await!(..) g();`.
    let item = quote!(
        async fn f() {
            tokio::select! { _ = a() => {}, _ = b() => {} }
            g();
        }
    );
    let out = twin(item);
    let parsed: Result<syn::File, _> = syn::parse_str(&out);
    assert!(parsed.is_ok(), "{out}");
}

#[test]
fn select_runs_as_one_future_unless_a_handler_leaves_it() {
    let out = twin(quote!(
        async fn f() -> u8 {
            tokio::select! { x = a() => x, y = b() => { y.await } }
        }
    ));
    let whole = "async { tokio :: select ! { x = a () => x , y = b () => { y . await } } }";
    assert!(out.contains(&settled("settle", whole)), "{out}");
    let (_, errors) = twin_with(
        quote!(
            async fn f() {
                loop {
                    tokio::select! { _ = a() => {}, None = b() => return }
                }
            }
        ),
        false,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("`blocking_f` runs `tokio::select!` as one future"), "{errors:?}");
}
