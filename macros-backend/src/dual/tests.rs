//! Expansion snapshots of every form (under `ui-tests/expand/dual/`) and
//! unit tests of the whole expansion.

use super::expand;
use proc_macro2::TokenStream;
use quote::quote;

/// The expansion of `#[dual(args)] item`, pretty-printed, each twin's
/// macro expanded (as rustc will: see `respan`).
fn pretty(args: TokenStream, item: TokenStream) -> String {
    let tokens = super::respan::unwrap_all(expand(args, item));
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

/// `text` without whitespace: macro arguments are pretty-printed with
/// token spacing, so checks compare squashed text.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Snapshots the expansion under `ui-tests/expand/dual/<name>.snap`.
macro_rules! snapshot {
    ($name:literal, ($($args:tt)*), $($item:tt)*) => {{
        let out = pretty(quote!($($args)*), quote!($($item)*));
        insta::with_settings!({ snapshot_path => "../../../ui-tests/expand/dual", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, out);
        });
        out
    }};
}

#[test]
fn fn_form() {
    let out = snapshot!(
        "fn_form",
        (),
        /// Fetches.
        #[inline]
        pub async fn fetch(x: u32) -> u32 {
            let a = helper(x).await;
            let b = async {
                if x > 3 {
                    return 1;
                }
                2
            }
            .await;
            let c = async { a + b }.await;
            println!("{}", other(c).await);
            if x > 0 { Box::pin(fetch(x - 1)).await } else { c }
        }
    );
    assert!(out.contains("pub fn blocking_fetch(x: u32) -> u32"), "{out}");
    assert!(out.contains("Blocking twin of [`fetch`]."), "{out}");
    let (original, twin) = out.split_once("pub fn blocking_fetch").unwrap();
    let original = squash(original);
    assert!(original.contains("->impl::core::future::Future<Output=u32"), "{out}");
    assert!(original.contains("+::twoworlds::__private::DualFuture<Blocking=u32>"), "{out}");
    assert!(original.contains("Branch::Blocking(blocking_fetch(x))"), "{out}");
    assert!(!twin.contains(".await") && !twin.contains("async"), "{out}");
    assert!(twin.contains("let c = { a + b };"), "{out}");
    assert!(twin.contains("(|| {"), "{out}");
}

#[test]
fn fn_form_settles_every_await_and_renames_nothing() {
    let out = pretty(
        quote!(),
        quote!(
            async fn f(n: u32) -> u32 {
                if n == 0 { g().await } else { Box::pin(f(n - 1)).await }
            }
        ),
    );
    let twin = out.split("fn blocking_f").nth(1).unwrap();
    assert_eq!(twin.matches("settle_await!").count(), 2, "{out}");
    assert!(twin.contains("Box::pin(f(n - 1))"), "the twin calls the future's own twin: {out}");
    assert!(!twin.contains("block_on"), "{out}");
}

#[test]
fn generic_fns_call_their_twin_with_a_turbofish_unless_an_impl_argument_forbids_it() {
    let out = pretty(
        quote!(),
        quote!(
            async fn f<T: Default, const N: usize>(x: T) -> T {
                x
            }
        ),
    );
    assert!(out.contains("Branch::Blocking(blocking_f::<T, N>(x))"), "{out}");
    let out = pretty(
        quote!(),
        quote!(
            async fn f<T>(x: T, y: impl Copy) -> T {
                x
            }
        ),
    );
    assert!(out.contains("Branch::Blocking(blocking_f(x, y))"), "{out}");
}

#[test]
fn a_twin_whose_signature_differs_is_inlined_in_the_future() {
    let out = pretty(
        quote!(),
        quote!(
            async fn f<F: Future<Output = u8>>(x: F) -> u8 {
                x.await
            }
        ),
    );
    assert!(out.contains("fn blocking_f(x: u8) -> u8"), "{out}");
    let original = out.split("fn blocking_f").next().unwrap();
    assert!(original.contains("::twoworlds::__private::call_once(move || {"), "{out}");
    assert!(!original.contains("blocking_f("), "{out}");
}

#[test]
fn pattern_arguments_live_in_the_future_under_a_name() {
    let out = pretty(
        quote!(),
        quote!(
            async fn f((a, b): (u8, u8), _: Guard) -> u8 {
                a + b
            }
        ),
    );
    assert!(out.contains("__arg0: (u8, u8),\n    __arg1: Guard,\n)"), "{out}");
    assert!(out.contains("let (a, b) = __arg0;"), "{out}");
    assert!(out.contains("Branch::Blocking(blocking_f(__arg0, __arg1))"), "{out}");
    assert!(out.contains("fn blocking_f((a, b): (u8, u8), _: Guard) -> u8"), "{out}");
}

#[test]
fn impl_form() {
    let out = snapshot!("impl_form", (),
        impl Client {
            pub async fn connect(addr: &str) -> Self { Self { addr: addr.to_owned() } }
            pub async fn get(&self, k: u32) -> u32 { self.len(k).await + Self::connect("x").await.addr.len() as u32 }
            async fn len(&self, k: u32) -> u32 { k }
            pub fn sync_one(&self) -> u32 { 1 }
            #[dual(skip)]
            pub async fn only_async(&self) {}
            #[dual(blocking = get_now)]
            pub async fn get_later(&self) -> u32 { Client::connect("y").await.get(1).await }
        }
    );
    assert!(out.contains("pub fn blocking_get(&self, k: u32) -> u32"), "{out}");
    assert!(out.contains("Branch::Blocking(Self::blocking_get(self, k))"), "{out}");
    assert!(out.contains("Branch::Blocking(Self::get_now(self))"), "{out}");
    assert!(out.contains("pub fn get_now(&self)"), "{out}");
    assert!(!out.contains("blocking_only_async"), "{out}");
    assert!(!out.contains("blocking_sync_one"), "{out}");
}

#[test]
fn trait_forms() {
    let out = snapshot!(
        "trait_form",
        (send),
        pub trait Store {
            async fn get(&self, k: u32) -> Option<u32>;
            async fn get_or(&self, k: u32, d: u32) -> u32 {
                self.get(k).await.unwrap_or(d)
            }
            fn name(&self) -> &'static str;
        }
    );
    assert!(out.contains("pub trait BlockingStore"), "{out}");
    let declared = out.split("pub trait BlockingStore").next().unwrap();
    assert_eq!(declared.matches("::core::marker::Send").count(), 2, "{out}");
    assert_eq!(declared.matches("::twoworlds::__private::DualFuture").count(), 2, "{out}");
    assert!(
        out.contains("impl<__TwoworldsSelf: Store> BlockingStore for __TwoworldsSelf"),
        "{out}"
    );
    let out = snapshot!("trait_impl_form", (),
        impl Store for Memory {
            async fn get(&self, k: u32) -> Option<u32> { self.map.get(&k).copied() }
            async fn get_or(&self, k: u32, d: u32) -> u32 { self.get(k).await.unwrap_or(d) }
            fn name(&self) -> &'static str { "memory" }
        }
    );
    assert!(!out.contains("BlockingStore"), "the blanket impl of the trait provides it: {out}");
    assert_eq!(out.matches("#[allow(refining_impl_trait)]").count(), 2, "{out}");
    assert_eq!(out.matches("::twoworlds::__private::call_once(move || {").count(), 2, "{out}");
}

#[test]
fn the_blanket_impl_forwards_every_item_with_the_trait_s_generics() {
    let out = pretty(
        quote!(),
        quote!(
            pub trait Store<'a, K: Hash = u8>: Sync
            where
                Self: Sized,
            {
                type Err;
                type Page<'p>: Iterator
                where
                    Self: 'p;
                const N: usize;
                fn name(&self) -> &str;
                async fn get<Q: Copy>(&self, (k, q): (K, Q)) -> Result<u8, Self::Err>;
            }
        ),
    );
    let blanket = squash(out.split("impl<'a, K: Hash,").nth(1).unwrap());
    let of = "<__TwoworldsSelf as Store<'a, K>>";
    for part in [
        "__TwoworldsSelf: Store<'a, K>> BlockingStore<'a, K> for __TwoworldsSelf",
        "where __TwoworldsSelf: Sized",
        &format!("type Err = {of}::Err;"),
        &format!("type Page<'p> = {of}::Page<'p> where Self: 'p;"),
        &format!("const N: usize = {of}::N;"),
        &format!("{of}::name(self)"),
        "fn get<Q: Copy>(&self, __arg1: (K, Q))",
        &format!("{of}::get::<Q>(self, __arg1)"),
    ] {
        assert!(blanket.contains(&squash(part)), "{part}: {out}");
    }
}

#[test]
fn mod_form() {
    let out = snapshot!(
        "mod_form",
        (),
        pub mod api {
            use super::Shared;
            pub(super) static COUNT: u32 = 0;
            pub struct Client {
                pub base: u32,
            }
            impl Client {
                pub async fn get(&self, k: u32) -> u32 {
                    add(self.base, k).await
                }
            }
            pub async fn add(a: u32, b: u32) -> u32 {
                a + b + super::offset()
            }
            pub mod inner {
                pub async fn twice(c: &super::Client) -> u32 {
                    c.get(1).await * 2
                }
            }
        }
    );
    assert!(out.contains("pub mod blocking"), "{out}");
    assert!(out.contains("use super::super::Shared;"), "{out}");
    assert!(out.contains("super::super::offset()"), "{out}");
    assert!(out.contains("pub fn twice(c: &super::Client) -> u32"), "{out}");
    assert!(out.contains("pub(in super::super) use super::COUNT;"), "{out}");
    assert!(out.contains("Blocking twin of [`super::super::inner::twice`]"), "{out}");
    // `add` (over foreign types only) calls its copy; `get` and `twice`,
    // over the module's own `Client`, cannot.
    let original = out.split("pub mod blocking").next().unwrap();
    assert!(original.contains("Branch::Blocking(blocking::add(a, b))"), "{out}");
    assert_eq!(original.matches("DualFuture").count(), 1, "{out}");
}

#[test]
fn errors_come_with_the_item_and_never_panic() {
    for (args, item) in [
        (
            quote!(stirct),
            quote!(
                async fn f() {}
            ),
        ),
        (
            quote!(),
            quote!(
                fn f() {}
            ),
        ),
        (
            quote!(),
            quote!(
                const async fn f() {}
            ),
        ),
        (
            quote!(),
            quote!(
                extern "C" {
                    fn f();
                }
            ),
        ),
        (
            quote!(),
            quote!(
                mod m;
            ),
        ),
        (
            quote!(blocking = f),
            quote!(
                async fn f() {}
            ),
        ),
        (
            quote!(blocking = T),
            quote!(
                trait T {
                    async fn f(&self);
                }
            ),
        ),
        (
            quote!(),
            quote!(
                struct S;
            ),
        ),
        (
            quote!(),
            quote!(
                async fn f() {
                    m!(a.await => b)
                }
            ),
        ),
        (quote!(= = ,,), quote!(async fn)),
    ] {
        let out = expand(args, item).to_string();
        assert!(out.contains("compile_error"), "{out}");
    }
}

#[test]
fn replaced_callees_are_sync_and_lose_their_await() {
    let out = pretty(
        quote!(tokio_to_std, replace(crate::aio => crate::sio)),
        quote!(
            async fn f(p: &str) -> ::std::io::Result<usize> {
                tokio::time::sleep(d).await;
                let n = crate::aio::len(p).await;
                Ok(tokio::fs::read(p).await?.len() + n + other().await)
            }
        ),
    );
    let twin = squash(out.split("fn blocking_f").nth(1).unwrap());
    // The paths are replaced; whether the result is sync is the type's business.
    assert!(twin.contains("std::thread::sleep(d)"), "{out}");
    assert!(twin.contains("crate::sio::len(p)"), "{out}");
    assert!(twin.contains("std::fs::read(p)"), "{out}");
    assert!(!twin.contains("tokio") && !twin.contains("aio"), "{out}");
    assert_eq!(twin.matches("settle_await!").count(), 4, "{out}");
}

#[test]
fn raw_identifiers_do_not_panic() {
    let out =
        pretty(quote!(), quote!(impl S { async fn r#type(&self) -> u8 { self.r#type().await } }));
    assert!(out.contains("fn blocking_type(&self) -> u8"), "{out}");
    let out = pretty(
        quote!(),
        quote!(
            trait T {
                async fn r#match(&self) -> u8 {
                    self.r#match().await
                }
            }
        ),
    );
    assert!(out.contains("fn r#match(&self) -> u8 {"), "{out}");
}

#[test]
fn mod_skip_shares_items_and_statics_point_at_the_originals() {
    let out = pretty(
        quote!(),
        quote!(
            pub mod m {
                #[dual(skip)]
                pub struct Error;
                pub async fn f() -> Result<(), Error> {
                    g().await
                }
                #[dual(skip)]
                pub async fn g() -> Result<(), Error> {
                    Ok(())
                }
                pub mod n {
                    pub static S: u8 = 1;
                    #[dual(skip)]
                    pub const C: u8 = 2;
                    pub struct T;
                    impl T {
                        pub async fn a(&self) {}
                        #[dual(skip)]
                        pub async fn b(&self) {}
                    }
                }
            }
        ),
    );
    let copy = out.split("pub mod blocking").nth(1).unwrap();
    assert!(!out.contains("__twoworlds_skip") && !out.contains("dual("), "{out}");
    assert!(copy.contains("pub use super::Error;"), "{out}");
    assert!(copy.contains("pub use super::g;"), "{out}");
    assert!(copy.contains("pub use super::super::n::S;"), "{out}");
    assert!(copy.contains("pub use super::super::n::C;"), "{out}");
    assert!(copy.contains("pub fn a(&self)") && !copy.contains("fn b("), "{out}");
}

#[test]
fn trait_calls_through_the_trait_name_reach_the_blocking_trait_in_its_defaults() {
    let out = pretty(
        quote!(),
        quote!(
            trait Store {
                async fn get(&self) -> u8;
                async fn two(&self) -> u8 {
                    Store::get(self).await + <Self as Store>::get(self).await
                }
            }
        ),
    );
    let copy = out.split("trait BlockingStore").nth(1).unwrap();
    let copy = squash(copy.split("impl<").next().unwrap());
    assert!(copy.contains("BlockingStore::get(self)"), "{out}");
    assert!(copy.contains("<SelfasBlockingStore>::get(self)"), "{out}");
    // In the async trait's own future, the paths stay: they are its own.
    let original = out.split("trait BlockingStore").next().unwrap();
    assert!(original.contains("Store::get(self)"), "{out}");
    assert!(!squash(original).contains("BlockingStore::get"), "{out}");
}

#[test]
fn twin_attributes_turn_async_tests_into_tests() {
    use super::twin::twin_attrs;
    let attrs: Vec<syn::Attribute> = vec![
        syn::parse_quote!(#[doc = " Docs."]),
        syn::parse_quote!(#[tokio::test(flavor = "multi_thread")]),
        syn::parse_quote!(#[cfg(unix)]),
        syn::parse_quote!(#[allow(dead_code)]),
    ];
    let out: Vec<String> =
        twin_attrs(&attrs, "f", false).iter().map(|a| quote!(#a).to_string()).collect();
    assert_eq!(
        out,
        [
            "# [doc = \" Docs.\"]",
            "# [cfg (unix)]",
            "# [allow (dead_code)]",
            "# [test]",
            "# [doc = \"\"]",
            "# [doc = \"Blocking twin of [`f`].\"]",
            "# [allow (clippy :: must_use_candidate , clippy :: needless_pass_by_value , clippy :: unused_self)]",
        ]
    );
}

#[test]
fn struct_update_syntax_keeps_its_comma_in_every_position() {
    for item in [
        quote!(
            async fn f(a: u32) -> S {
                S { a, ..Default::default() }
            }
        ),
        quote!(
            async fn f(a: u32) -> S {
                S { a: a, ..base() }
            }
        ),
        quote!(impl S { fn new(a: u32) -> Self { Self { a, ..Default::default() } } async fn g(&self) {} }),
        quote!(
            mod m {
                pub async fn f(s: S) -> S {
                    let S { a, .. } = s;
                    S {
                        a,
                        #[only_async]
                        b: 1,
                        ..s
                    }
                }
            }
        ),
    ] {
        let out = expand(quote!(), item.clone()).to_string();
        assert!(syn::parse_str::<syn::File>(&out).is_ok(), "{item}\n→ {out}");
        assert!(!out.contains("a .. "), "{out}");
    }
}

#[test]
fn closures_returning_futures() {
    let out = snapshot!(
        "closures",
        (),
        mod m {
            pub async fn retry<F, Fut, T>(mut op: F) -> T
            where
                F: FnMut(u32) -> Fut,
                Fut: Future<Output = T>,
            {
                op(1).await
            }

            pub async fn each(f: impl AsyncFn(u32) -> u32) -> u32 {
                f(1).await
            }

            pub async fn caller() -> u32 {
                retry(|n| async move { each(async |x| x + n).await }).await
            }

            pub async fn later<F, Fut>(op: F) -> u32
            where
                F: Fn(u32) -> Fut,
                Fut: Future<Output = u32>,
            {
                let fut = op(1);
                fut.await
            }

            pub async fn later_caller() -> u32 {
                later(|x| async move { x }).await
            }

            pub trait Run {
                async fn run<F, Fut>(&self, f: F) -> u32
                where
                    F: Fn(u32) -> Fut,
                    Fut: Future<Output = u32>;
            }

            pub struct S;

            impl Run for S {
                async fn run<F, Fut>(&self, f: F) -> u32
                where
                    F: Fn(u32) -> Fut,
                    Fut: Future<Output = u32>,
                {
                    let fut = f(1);
                    fut.await
                }
            }
        }
    );
    let twin = squash(out.split("pub mod blocking").nth(1).unwrap());
    assert!(twin.contains("pubfnretry<F,T>(mutop:F)->TwhereF:FnMut(u32)->T,"), "{out}");
    assert!(twin.contains("pubfneach(f:implFn(u32)->u32)->u32"), "{out}");
    // The caller's async closures become sync ones where it calls the twins.
    // (`async move` moves its captures: a called `move` closure does too.)
    assert!(twin.contains("retry(|n|(move||{"), "{out}");
    assert!(twin.contains("each(|x|x+n)"), "{out}");
    // A closure called, then awaited later, is kept, and so is its caller's.
    assert!(
        twin.contains("pubfnlater<F,Fut>(op:F)->u32whereF:Fn(u32)->Fut,Fut:Future<Output=u32>"),
        "{out}"
    );
    assert!(twin.contains("later(|x|asyncmove{x})"), "{out}");
    // The blocking trait takes a sync closure, and so does the twin of an
    // impl that awaits later: its body adapts it.
    let sync_run = "fnrun<F>(&self,f:F)->u32whereF:Fn(u32)->u32";
    assert_eq!(twin.matches(sync_run).count(), 2, "{out}");
    assert!(
        twin.contains("letmutf={letclosure=::twoworlds::__private::SharedClosure::new(f);"),
        "{out}"
    );
}

#[test]
fn every_separate_twin_is_the_body_of_a_macro_of_its_own() {
    // The fn form may be a method: wrapped in place, in a crate of the
    // macros' edition (this one).
    let out = expand(
        quote!(),
        quote!(
            async fn f() {}
        ),
    )
    .to_string();
    assert_eq!(out.matches("__private :: blocking_twin !").count(), 1, "{out}");
    let cases = [
        quote!(impl S { async fn m(&self) {} }),
        quote!(
            trait T {
                async fn m(&self);
            }
        ),
        quote!(
            mod m {
                pub async fn f() {}
            }
        ),
    ];
    for item in cases {
        let out = expand(quote!(), item.clone()).to_string();
        assert_eq!(out.matches("macro_rules ! blocking_twin_").count(), 1, "{item}: {out}");
        assert_eq!(out.matches("! { }").count(), 1, "{item}: {out}");
    }
    // A trait impl's blocking bodies run inline, under the async fn's params.
    let out = expand(quote!(), quote!(impl T for S { async fn m(&self) {} })).to_string();
    assert!(!out.contains("blocking_twin_"), "{out}");
}

#[test]
fn a_shell_of_an_impl_trait_output_is_typed_as_its_twin() {
    // The cheap shell (a fn pointer) and the general one (an `unsafe` fn:
    // a closure): each ties its never-given output to the twin's.
    for item in [
        quote!(
            async fn f(x: u32) -> impl Display {
                x
            }
        ),
        quote!(
            async unsafe fn f(x: u32) -> impl Display {
                x
            }
        ),
    ] {
        let out = expand(quote!(async_cfg(any()), __twoworlds_stage = shell), item.clone());
        let out = out.to_string();
        assert!(out.contains(". output_of_twin ()"), "{item}: {out}");
    }
    let general = expand(
        quote!(async_cfg(any()), __twoworlds_stage = shell),
        quote!(
            async unsafe fn f(x: u32) -> impl Display {
                x
            }
        ),
    );
    assert!(general.to_string().contains("Shell :: < _ , () > :: new"), "{general}");
}
