//! The async copy's instrumentation, seen in whole expansions.

use proc_macro2::TokenStream;
use quote::quote;

/// The expansion of `#[dual(args)] item`, as a string.
fn expand(args: TokenStream, item: TokenStream) -> String {
    crate::dual::expand(args, item).to_string()
}

/// The part of `out` after `twin` (the blocking twin's tokens onwards).
fn after<'a>(out: &'a str, twin: &str) -> &'a str {
    out.split(twin).nth(1).unwrap_or_else(|| panic!("no `{twin}` in {out}"))
}

const WATCH: &str = "__private :: watch";
const WARNING: &str = "blocking_call_in_async_code";

#[test]
fn the_async_fn_is_linted_and_watched_and_its_twin_is_neither() {
    let out = expand(
        quote!(crate = my::tw),
        quote!(
            async fn f(d: D) {
                std::thread::sleep(d);
                #[allow_blocking]
                g();
            }
        ),
    );
    assert_eq!(out.matches(&format!("my :: tw :: {WATCH}")).count(), 1, "{out}");
    assert!(out.contains("\"::\" , \"f\")"), "{out}");
    assert_eq!(out.matches("# [deprecated").count(), 1, "{out}");
    let twin = after(&out, "fn blocking_f");
    assert!(!twin.contains(WATCH) && !twin.contains(WARNING), "{twin}");
    assert!(!out.contains("# [allow_blocking]"), "{out}");
}

#[test]
fn allow_forms_silence_the_lint_but_keep_the_watch() {
    let sleepy = quote!(std::thread::sleep(d););
    for (args, item) in [
        (quote!(allow_blocking), quote!(async fn f() { #sleepy })),
        (quote!(), quote!(#[allow_blocking] async fn f() { #sleepy })),
        (quote!(allow_blocking), quote!(impl A { async fn f() { #sleepy } })),
        (quote!(), quote!(impl A { #[dual(allow_blocking)] async fn f() { #sleepy } })),
        (quote!(), quote!(impl A { #[allow_blocking] async fn f() { #sleepy } })),
        (quote!(), quote!(trait T { #[allow_blocking] async fn f() { #sleepy } })),
        (quote!(), quote!(mod m { #[dual(allow_blocking)] pub async fn f() { #sleepy } })),
        (quote!(), quote!(mod m { #[allow_blocking] mod n { async fn f() { #sleepy } } })),
    ] {
        let out = expand(args, item);
        assert!(!out.contains(WARNING), "{out}");
        assert!(!out.contains("# [allow_blocking]"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
        assert_eq!(out.matches(WATCH).count(), 1, "{out}");
    }
}

#[test]
fn methods_are_labelled_by_their_owner_and_skipped_ones_are_left_alone() {
    let out = expand(
        quote!(),
        quote!(
            impl<T> Client<T> {
                async fn get(&self) {
                    std::thread::sleep(d);
                }
                #[dual(skip)]
                async fn raw(&self) {
                    std::thread::sleep(d);
                }
                fn sync(&self) {
                    std::thread::sleep(d);
                }
            }
        ),
    );
    assert!(out.contains("\"Client::get\""), "{out}");
    assert_eq!(out.matches(WATCH).count(), 1, "{out}");
    assert_eq!(out.matches("# [deprecated").count(), 1, "{out}");
    let out = expand(quote!(), quote!(impl Store for Memory { async fn get(&self) {} }));
    assert!(out.contains("\"Memory::get\""), "{out}");
    let out = expand(
        quote!(),
        quote!(
            trait Store {
                async fn a(&self);
                async fn b(&self) {}
            }
        ),
    );
    assert!(out.contains("\"Store::b\"") && out.matches(WATCH).count() == 1, "{out}");
}

#[test]
fn a_mod_s_use_items_are_seen_and_skipped_items_left_alone() {
    let out = expand(
        quote!(),
        quote!(
            mod m {
                use std::thread::sleep;
                pub async fn f() {
                    sleep(d);
                }
                #[dual(skip)]
                pub async fn g() {
                    sleep(d);
                }
                mod inner {
                    pub async fn h() {
                        sleep(d);
                    }
                }
            }
        ),
    );
    // `f` is warned (the mod's `use`); `inner` has no such `use`.
    assert_eq!(out.matches("# [deprecated").count(), 1, "{out}");
    assert_eq!(out.matches(WATCH).count(), 2, "`f` and `inner::h`: {out}");
    assert!(out.contains("\"h\""), "{out}");
}

#[test]
fn a_shell_calls_its_twin_through_a_fn_pointer_where_it_can() {
    let shell = quote!(__twoworlds_stage = shell, async_cfg(a));
    let out = expand(
        shell.clone(),
        quote!(
            pub async fn f(x: u32, (a, b): (u8, u8), mut c: u8) -> u32 {
                x
            }
        ),
    );
    let head = "# [inline] pub fn f (x : u32 , __arg1 : (u8 , u8) , c : u8) -> impl :: \
                twoworlds :: __private :: DualFuture < Output = u32 , Blocking = u32 > \
                { :: twoworlds :: __private :: Shell :: call3 :: < u32 , u32 , (u8 , u8) , u8 , \
                u32 > (";
    assert!(out.starts_with(head), "{out}");
    assert!(out.contains(", blocking_f , x , __arg1 , c) }"), "{out}");
    // An `unsafe fn` cannot be a `fn` pointer: the closure shell.
    let out = expand(
        shell,
        quote!(
            pub async unsafe fn f(x: u32) -> u32 {
                x
            }
        ),
    );
    assert!(out.contains("Shell :: new (") && out.contains("allow (unused_variables"), "{out}");
}

#[test]
fn a_fn_returning_impl_future_is_not_wrapped() {
    let out = expand(
        quote!(),
        quote!(
            fn f() -> impl Future<Output = u8> {
                async { 1 }
            }
        ),
    );
    assert!(!out.contains(WATCH), "{out}");
}
