//! Hand-picked adversarial inputs: neither macro panics, and each emits
//! items (or, for input that is no item, a `compile_error!`), through the
//! attributes' entry points, checked as rustc would re-parse the output, on
//! each input as written and with every fn made async (see `harness`).

use std::fmt::Write as _;
use std::str::FromStr as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::harness::{BRIDGE, DUAL, Outcome, assert_robust, run};

/// Parses Rust source text into tokens (the inputs below that `quote!`
/// cannot spell: raw strings, odd literals, generated text).
fn tokens(source: &str) -> TokenStream {
    TokenStream::from_str(source).unwrap_or_else(|e| panic!("test input does not lex: {e}"))
}

/// The attribute arguments every input is also tried with.
fn arg_variants() -> Vec<TokenStream> {
    vec![
        quote!(),
        quote!(strict),
        quote!(blocking = b),
        quote!(crate = ::x::twoworlds, thread_sensitive),
        tokens("r#async = r#fn"),
        tokens("blocking = \"\u{0}\", skip, skip"),
        tokens("replace(tokio::fs => std::fs, a => , => b)"),
        tokens("#[x] !"),
    ]
}

/// Asserts [`assert_robust`] for `item` under every argument variant.
fn assert_robust_all(item: &TokenStream) {
    for args in arg_variants() {
        assert_robust(&args, item);
    }
}

#[test]
fn empty_and_keyword_only() {
    for item in ["", "fn", "async fn", "async", ";", "async fn f", "fn f() ->", "impl", "r#fn"] {
        assert_robust_all(&tokens(item));
    }
}

#[test]
fn raw_identifiers_and_async_as_a_name() {
    assert_robust_all(&tokens(
        "async fn r#async(r#fn: u8) -> r#async::r#fn { r#await(r#fn).await }",
    ));
    assert_robust_all(&tokens("fn r#async(r#fn: u8) -> u8 { r#fn }"));
    assert_robust_all(&tokens(
        "impl r#impl { async fn r#await(&self) {} fn r#try(&self) -> String { r#try!() } }",
    ));
    assert_robust_all(&tokens("trait r#trait { async fn r#dyn(&self); fn r#async(&self); }"));
    assert_robust_all(&tokens("mod r#mod { pub async fn r#async() { r#async().await } }"));
}

#[test]
fn deep_nesting() {
    // rustc runs proc macros on a thread with a large stack; so does this
    // test (a test thread's default 2 MiB would overflow in the parser first).
    let depth = 200;
    let body = format!("{}x.await{}", "{ async { ".repeat(depth), " }.await }".repeat(depth));
    let types = format!("{}u8{}", "Vec<".repeat(depth), ">".repeat(depth));
    let exprs = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
    let items = [
        format!("async fn f(x: {types}) -> u8 {body}"),
        format!("fn f() -> u8 {{ {exprs} }}"),
        format!("impl A {{ async fn f(&self) -> u8 {body} fn g(&self, x: {types}) {{}} }}"),
    ];
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || items.iter().for_each(|item| assert_robust_all(&tokens(item))))
        .expect("spawn the deep-nesting thread")
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
}

#[test]
fn huge_bodies() {
    let statements = "let x = y(x).await?; ".repeat(20_000);
    let methods = (0..2_000).fold(String::new(), |mut all, i| {
        let _ = write!(all, "async fn m{i}(&self, a: &str) -> u8 {{ self.m0(a).await }}");
        all
    });
    assert_robust(
        &quote!(),
        &tokens(&format!("async fn f() -> Result<(), E> {{ {statements} Ok(()) }}")),
    );
    assert_robust(&quote!(), &tokens(&format!("impl A {{ {methods} }}")));
    assert_robust(
        &quote!(),
        &tokens(&format!("trait T {{ {} }}", methods.replace("{ self.m0(a).await }", ";"))),
    );
}

#[test]
fn macros_in_every_position() {
    assert_robust_all(&tokens(
        "#[m!()] async fn f(x: m!(), m!(): u8) -> m!() where m!(): m!() {
            m!(x.await); let m!() = m!().await; m!{}.await; [m![]; m!()];
            macro_rules! m { () => { async {}.await } }
            m!()
        }",
    ));
    assert_robust_all(&tokens("impl m!() { m!(); async fn f(&self) { m!() } }"));
    assert_robust_all(&tokens("trait T { m!{} async fn f(&self); }"));
    assert_robust_all(&tokens("mod m { m!(); pub async fn f() { println!(\"{}\", g().await) } }"));
    assert_robust_all(&tokens("m!()"));
}

#[test]
fn odd_literals() {
    assert_robust_all(&tokens(
        r###"async fn f() -> &'static [u8] {
            let _ = ("\u{10FFFF}\0\x7f", '\u{0}', b'\xff', b"\xff\xfe", c"nul\x01",
                     r##"raw "# string"##, br#"\xff"#, 1e400f64, 0xFFFF_FFFF_FFFF_FFFF_FFFFu128,
                     1__u8, 0b1_0, 1.0e-0_1, 'a, '🦀');
            "🦀\r\n\t".as_bytes()
        }"###,
    ));
    assert_robust_all(&tokens(r##"#[doc = r#"**"#] #[doc = "\u{202e}"] fn f(_: [u8; 0xff]) {}"##));
}

#[test]
fn attributes_with_every_delimiter() {
    for attr in [
        "#[a(x)]",
        "#[a[x]]",
        "#[a{x}]",
        "#[a = x]",
        "#[a::b!(x)]",
        "#[cfg_attr(all(), dual)]",
        "#[dual]",
        "#[bridge(skip)]",
        "#[only_async]",
        "#[only_blocking(x)]",
        "#[doc]",
        "#[allow_blocking]",
    ] {
        assert_robust_all(&tokens(&format!(
            "{attr} async fn f({attr} x: u8) {{ {attr} let y = x; }}"
        )));
        assert_robust_all(&tokens(&format!(
            "{attr} impl A {{ {attr} async fn f(&self) {{}} {attr} fn g(&self) {{}} }}"
        )));
        assert_robust_all(&tokens(&format!("{attr} trait T {{ {attr} async fn f(&self); }}")));
    }
}

#[test]
fn every_item_kind() {
    for item in [
        "struct S;",
        "enum E { A }",
        "const C: u8 = 0;",
        "static S: u8 = 0;",
        "use a::b;",
        "extern crate a;",
        "type T = u8;",
        "union U { a: u8 }",
        "extern \"C\" { fn f(); }",
        "macro_rules! m { () => {} }",
        "mod m;",
        "impl A for B {}",
        "trait T = U;",
        "auto trait T {}",
        "unsafe impl Send for A {}",
        "default fn f() {}",
        "const async unsafe extern \"C\" fn f() {}",
    ] {
        assert_robust_all(&tokens(item));
    }
}

#[test]
fn async_constructs_that_resist_rewriting() {
    assert_robust_all(&tokens(
        "async fn f(self: Pin<&mut Self>, x: impl Future<Output = u8>) -> impl Future<Output = u8> {
            let c = async move |y: u8| y.await; let b = async { return 1 }.await;
            let g = || async { x.await }; loop { break 'a: { x.await } }
            gen { yield 1 }; async gen { yield 2 }; try { x? }; x.await.await.await
        }",
    ));
    assert_robust_all(&tokens("async unsafe extern \"C\" fn f(x: ...) {}"));
    assert_robust_all(&tokens(
        "async fn f<'a, T: 'a + ?Sized, const N: usize>(x: &'a mut [T; N]) -> &'a T where for<'b> &'b T: Send { &x[0] }",
    ));
}

/// Regression (found by the corpus test on 39 items, e.g. hashbrown's
/// `fn test_entry_take_doesnt_corrupt`, fixed in 96b15df): `#[bridge]` copied
/// an inner attribute of the original's body (`fn f() { #![allow(x)] .. }`,
/// which syn stores among the fn's attributes) onto the twin as is, emitting
/// `#![allow(x)] fn f_async() ..`, which does not parse.
#[test]
fn bridge_twin_of_fn_with_inner_attribute_parses() {
    let sync = quote!(
        fn f() {
            #![allow(deprecated)]
        }
    );
    let asynchronous = quote!(
        async fn f() {
            #![allow(deprecated)]
        }
    );
    let method = quote!(impl A { fn f(&self) -> u8 { #![allow(deprecated)] 1 } });
    for item in [sync, asynchronous, method] {
        assert_eq!(run(BRIDGE, &quote!(), &item), Outcome::Expanded, "{item}");
    }
}

#[test]
fn dual_twin_of_fn_with_inner_attribute_parses() {
    let item = quote!(
        async fn f() {
            #![allow(deprecated)]
            g().await
        }
    );
    assert_eq!(run(DUAL, &quote!(), &item), Outcome::Expanded);
    let item = quote!(impl A { async fn f(&self) { #![allow(unused)] } });
    assert_eq!(run(DUAL, &quote!(), &item), Outcome::Expanded);
}

/// Regression (issue 14: `S { a, ..Default::default() }` panicked `#[dual]`
/// while the corpus and the fuzzer reported 0 panics): struct update syntax
/// in every position, written in sync fns as real code has it; the harness
/// also tries each with every fn made async, so it reaches the rewrite.
#[test]
fn struct_update_syntax_in_every_position() {
    for item in [
        "fn f(a: u32) -> S { S { a, ..Default::default() } }",
        "fn f(a: u32, base: S) -> S { S { a: a, ..base } }",
        "fn f(s: S) -> S { let S { a, .. } = s; S { a, #[only_async] b: 1, ..s } }",
        "impl S { fn new(a: u32) -> Self { Self { a, ..Default::default() } } async fn g(&self) {} }",
        "trait T { fn d() -> S { S { a: 1, ..S::default() } } }",
        "mod m { pub fn f(a: u32) -> S { S { a, ..Default::default() } } }",
    ] {
        assert_robust_all(&tokens(item));
    }
}
