//! Unit tests of the pure `#[bridge]` expansion, and expansion snapshots
//! (under `ui-tests/expand/bridge/`; review with `cargo insta review`).

use proc_macro2::TokenStream;
use quote::quote;

use super::expand;

/// Expands and pretty-prints, or shows the raw tokens if they don't parse.
pub(super) fn pretty(args: TokenStream, item: TokenStream) -> String {
    let out = expand(args, item);
    match syn::parse2::<syn::File>(out.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => out.to_string(),
    }
}

/// Snapshots `#[bridge(args)] item` as `name` under `ui-tests/expand/bridge/`.
macro_rules! snapshot {
    ($name:literal, ($($args:tt)*), $($item:tt)*) => {
        insta::with_settings!({
            snapshot_path => "../../../ui-tests/expand/bridge",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, pretty(quote!($($args)*), quote!($($item)*)));
        });
    };
}
// Also for the stream tests (`stream_tests.rs`).
pub(super) use snapshot;

/// The error messages of an expansion, in order.
pub(super) fn errors(args: TokenStream, item: TokenStream) -> Vec<String> {
    let out = expand(args, item).to_string();
    out.split("compile_error !")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn snapshot_free_async_fn() {
    snapshot!(
        "free_async",
        (),
        /// Fetches.
        pub async fn fetch<'a, T: Clone>(
            key: &'a str,
            extra: impl AsRef<str>,
            value: T,
        ) -> Result<T, String> {
            Ok(value)
        }
    );
}

#[test]
fn snapshot_free_sync_fn() {
    snapshot!(
        "free_sync",
        (),
        #[must_use]
        #[expect(clippy::needless_pass_by_value)]
        pub(crate) fn describe(
            name: &str,
            bytes: &[u8],
            owned: String,
            (a, b): (u8, u8),
            mut n: u32,
            show: &impl Display,
        ) -> String {
            n += 1;
            format!("{name}{owned}{a}{b}{n}{show}")
        }
    );
}

#[test]
fn snapshot_generic_sync_fn_with_where_clause() {
    snapshot!(
        "generic_sync",
        (async_name = render_later),
        fn render<T, U: Display>(value: &T, other: U) -> String
        where
            T: Display + ?Sized,
        {
            format!("{value}{other}")
        }
    );
}

#[test]
fn snapshot_inherent_impl() {
    snapshot!(
        "inherent_impl",
        (),
        impl<T: Clone> Client<T> {
            pub async fn connect(base: u32) -> Self {
                todo!()
            }
            pub async fn fetch(&self, key: &str) -> u32 {
                1
            }
            #[bridge(blocking = finish_now)]
            async fn finish(mut self) -> u32 {
                1
            }
            pub fn sum(&self, extra: &[u32]) -> u32 {
                1
            }
            fn into_base(self: Box<Self>) -> u32 {
                1
            }
            #[bridge(skip)]
            fn set(&mut self, base: u32) {}
            const LIMIT: u32 = 1;
        }
    );
}

#[test]
fn snapshot_trait() {
    snapshot!(
        "trait",
        (),
        pub trait Store: Clone + Send + Sync + 'static {
            async fn get(&self, key: &str) -> Option<String>;
            fn len(&self) -> usize;
            #[bridge(async_name = is_empty_later)]
            fn is_empty(&self) -> bool {
                self.len() == 0
            }
            fn create() -> Self;
        }
    );
}

#[test]
fn snapshot_thread_sensitive_unsafe_and_crate_path() {
    snapshot!(
        "thread_sensitive",
        (thread_sensitive, crate = my::tw),
        unsafe fn touch(n: u8) -> u8 {
            n
        }
    );
    snapshot!(
        "unsafe_async",
        (),
        async unsafe fn read(ptr: *const u8) -> u8 {
            unsafe { *ptr }
        }
    );
}

#[test]
fn snapshot_other_attributes_stay_on_the_original() {
    snapshot!(
        "other_attributes",
        (),
        #[tracing::instrument(skip(self))]
        #[cfg(feature = "net")]
        #[allow(clippy::too_many_lines)]
        #[inline]
        async fn traced(n: u8) -> u8 {
            n
        }
    );
}

#[test]
fn the_blocking_twin_names_itself_and_tracks_the_caller() {
    let out = expand(quote!(), quote!(impl Client { async fn fetch(&self) {} })).to_string();
    assert!(out.contains("# [track_caller]"), "{out}");
    assert!(out.contains("\"Client::blocking_fetch\""), "{out}");
    assert!(out.contains(":: twoworlds :: __private :: block_on_named"), "{out}");
    assert!(out.contains("Self :: fetch (self ,)"), "{out}");
}

#[test]
fn thread_sensitive_on_an_impl_applies_to_its_sync_methods_only() {
    let out = expand(quote!(thread_sensitive), quote!(impl A { async fn a() {} fn b() {} }));
    let out = out.to_string();
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains("unblock_thread_sensitive_named (\"A::b_async\""), "{out}");
    assert!(out.contains("fn blocking_a"), "{out}");
}

#[test]
fn cfg_alternatives_with_one_name_are_no_collision() {
    let out = expand(quote!(), quote!(impl A { #[cfg(unix)] fn a() {} #[cfg(windows)] fn a() {} }));
    let out = out.to_string();
    assert!(!out.contains("compile_error"), "{out}");
    assert_eq!(out.matches("fn a_async").count(), 2, "{out}");
}

#[test]
fn bridge_options_on_methods_are_stripped() {
    let out = expand(
        quote!(),
        quote!(impl A { #[bridge(skip)] fn a(&mut self) {} #[twoworlds::bridge] fn b() {} }),
    );
    let out = out.to_string();
    assert!(!out.contains("bridge"), "{out}");
    assert!(!out.contains("a_async"), "{out}");
    assert!(out.contains("fn b_async"), "{out}");
}

#[test]
fn errors_name_the_problem() {
    let cases: &[(&str, &str, &str)] = &[
        ("", "struct S;", "not on a struct"),
        ("", "enum E {}", "not on an enum"),
        ("", "const C: u8 = 1;", "not on a const"),
        ("", "const fn f() {}", "can't bridge `const fn f`"),
        ("", "extern \"C\" fn f() {}", "can't bridge `extern fn f`"),
        ("blockng = x", "async fn f() {}", "did you mean `blocking`?"),
        ("crate = a, crate = b", "fn f() {}", "duplicate option `crate`"),
        ("", "fn f(x: &mut u8) {}", "`&mut` argument `x` can't cross"),
        ("", "impl A { fn f(&mut self) {} }", "`&mut self` can't cross"),
        ("", "impl A { async fn f() {} fn blocking_f() {} }", "collides"),
        ("", "trait T { fn f(); fn f_async(); }", "in this trait"),
        ("", "impl X for A { fn f() {} }", "can't add methods to a trait impl"),
        ("skip", "fn f() {}", "option `skip` only applies"),
        ("blocking = x", "fn f() {}", "option `blocking` is for async fns"),
        ("blocking = crate", "async fn f() {}", "expected a function name"),
        ("blocking = self", "async fn f() {}", "expected a function name"),
        ("async_name = Self", "fn f() {}", "expected a function name"),
        ("blocking = \"super\"", "async fn f() {}", "expected a function name"),
        ("thread_sensitive", "async fn f() {}", "is for sync fns"),
        ("allow_blocking", "fn f() {}", "option `allow_blocking` is for async fns"),
        ("", "impl A { #[bridge(allow_blocking)] fn f() {} }", "`allow_blocking` is for async"),
        ("", "fn f(a: u8, ...) {}", "variadic"),
        ("", "fn f(a: &str) -> &str { a }", "returns a borrow"),
        ("", "fn f<'a>(a: &'a str) -> Cow<'a, str> { a }", "returns a borrow"),
        ("", "impl A { fn f(self: Pin<&mut Self>) {} }", "this borrowed `self` can't cross"),
    ];
    for (args, item, expected) in cases {
        let (Ok(args), Ok(item)) = (args.parse(), item.parse()) else {
            panic!("test input does not lex: {args} / {item}");
        };
        let messages = errors(args, item).join("\n");
        assert!(messages.contains(expected), "expected `{expected}` in {messages}");
    }
}

#[test]
fn static_borrows_are_fine_and_others_are_not() {
    use super::ownership::borrows_non_static;
    assert!(!borrows_non_static(quote!(&'static str)));
    assert!(!borrows_non_static(quote!(Vec<&'static [u8]>)));
    assert!(!borrows_non_static(quote!(Box<dyn Fn() + Send + 'static>)));
    assert!(borrows_non_static(quote!(&str)));
    assert!(borrows_non_static(quote!(Cow<'_, str>)));
    assert!(borrows_non_static(quote!((u8, &'a u8))));
}

#[test]
fn all_errors_are_reported_together_beside_the_item() {
    let out = expand(
        quote!(blockin = a, nope),
        quote!(
            async fn f() {}
        ),
    )
    .to_string();
    assert_eq!(out.matches("compile_error").count(), 2, "{out}");
    assert!(out.contains("fn f ()"), "{out}");
}

#[test]
fn async_originals_are_linted_and_watched_under_their_names() {
    let out = expand(
        quote!(),
        quote!(impl A {
            async fn a() { std::thread::sleep(d); }
            #[bridge(skip)]
            async fn skipped() { std::thread::sleep(d); }
            fn sync() { std::thread::sleep(d); }
        }),
    )
    .to_string();
    assert_eq!(out.matches(":: twoworlds :: __private :: watch").count(), 1, "{out}");
    assert!(out.contains("\"A::a\""), "{out}");
    assert_eq!(out.matches("deprecated").count(), 1, "{out}");
    let out = expand(
        quote!(crate = my::tw),
        quote!(
            trait T {
                async fn with_default(&self) -> u8 {
                    std::thread::sleep(d);
                    1
                }
                async fn without(&self) -> u8;
            }
        ),
    )
    .to_string();
    assert_eq!(out.matches("my :: tw :: __private :: watch").count(), 1, "{out}");
    assert!(out.contains("\"T::with_default\""), "{out}");
    assert_eq!(out.matches("deprecated").count(), 1, "{out}");
}

#[test]
fn allow_blocking_silences_the_lint_on_a_fn_an_impl_or_a_method() {
    let sleepy = quote!(
        async fn f() {
            std::thread::sleep(d);
        }
    );
    assert!(expand(quote!(), sleepy.clone()).to_string().contains("deprecated"));
    let out = expand(quote!(allow_blocking), sleepy).to_string();
    assert!(!out.contains("deprecated") && !out.contains("compile_error"), "{out}");
    assert!(out.contains("__private :: watch"), "still watched: {out}");
    // On an impl: its async methods are allowed, and its sync ones are no error.
    let out = expand(
        quote!(allow_blocking),
        quote!(impl A { async fn f() { std::thread::sleep(d); } fn g() {} }),
    )
    .to_string();
    assert!(!out.contains("deprecated") && !out.contains("compile_error"), "{out}");
    let out = expand(
        quote!(),
        quote!(impl A {
            #[bridge(allow_blocking)]
            async fn f() { std::thread::sleep(d); }
            async fn g() { std::thread::sleep(d); }
        }),
    )
    .to_string();
    assert_eq!(out.matches("deprecated").count(), 1, "{out}");
}
