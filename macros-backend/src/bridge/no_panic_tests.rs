//! The expansion never panics, whatever tokens it is given: odd inputs,
//! generated token soup and generated signatures (all with fixed seeds, so
//! a failure reproduces).

use quote::quote;

use super::expand;

#[test]
fn never_panics_on_odd_input() {
    let inputs = [
        quote!(),
        quote!(fn),
        quote!(async),
        quote!(fn f(),),
        quote!(impl {}),
        quote!(trait {}),
        quote!(
            fn f(self) {}
        ),
        quote!(
            fn f(&'a self, _: &'_ str, ref mut x @ _: u8) {}
        ),
        quote!(impl A { fn f(self: &mut Self) {} fn g(self: Pin<&mut Self>) {} }),
        quote!(
            fn f<const N: usize>(x: [u8; N]) -> [u8; N] {
                x
            }
        ),
        quote!(1 + 2),
        quote!(
            #[bridge(= = =)]
            fn f() {}
        ),
    ];
    let args = [
        quote!(),
        quote!(=),
        quote!(blocking),
        quote!(crate = "not a path"),
        quote!(skip(1)),
        quote!(a::b = 1),
    ];
    for item in &inputs {
        for arg in &args {
            let _ = expand(arg.clone(), item.clone());
        }
    }
}

#[test]
fn never_panics_on_generated_token_soup() {
    // A fixed-seed generator (no `rand` dependency needed for a smoke test):
    // the same inputs every run, so a failure reproduces.
    const WORDS: &[&str] = &[
        "fn",
        "async",
        "unsafe",
        "const",
        "extern \"C\"",
        "impl",
        "trait",
        "for",
        "self",
        "Self",
        "&",
        "&mut",
        "mut",
        "'a",
        "'static",
        "x",
        "T",
        "u8",
        "str",
        ":",
        ",",
        "->",
        "<",
        ">",
        "(",
        ")",
        "{}",
        "[u8]",
        "...",
        "_",
        "pub",
        "pub(crate)",
        "where",
        "#[bridge(skip)]",
        "#[bridge(blocking = b)]",
        "#[doc = \"d\"]",
        "impl Display",
        "?",
        "=",
        ";",
        "dyn",
        "Box<Self>",
    ];
    const ARGS: &[&str] = &["", "skip", "blocking = x", "async_name", "crate = a::b", "x y", "="];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % (bound as u64)).unwrap_or(0)
    };
    for round in 0..3000 {
        let len = 1 + next(14);
        let mut source = String::from(if round % 2 == 0 { "fn f" } else { "impl A { fn f" });
        for _ in 0..len {
            source.push(' ');
            source.push_str(WORDS[next(WORDS.len())]);
        }
        if round % 2 == 1 {
            source.push('}');
        }
        let args = ARGS[next(ARGS.len())];
        if let (Ok(item), Ok(args)) = (source.parse(), args.parse()) {
            let _ = expand(args, item);
        }
    }
}

#[test]
fn never_panics_on_generated_signatures() {
    const PREFIXES: &[&str] = &["", "async ", "unsafe ", "async unsafe ", "const ", "pub "];
    const GENERICS: &[&str] =
        &["", "<T>", "<'a, T: Clone>", "<const N: usize>", "<T> where T: Send"];
    const PARAMS: &[&str] = &[
        "x: u8",
        "x: &str",
        "x: &mut u8",
        "(a, b): (u8, u8)",
        "_: T",
        "&self",
        "self",
        "&mut self",
        "self: Box<Self>",
        "self: Pin<&mut Self>",
        "x: impl Display",
        "x: &impl Display",
        "mut x: Vec<T>",
        "x: &'a T",
        "x: &T",
        "x: Self",
        "x: [u8; N]",
    ];
    const RETURNS: &[&str] =
        &["", "-> u8", "-> &str", "-> Self", "-> impl Display", "-> &'static str"];
    const WRAPS: &[(&str, &str)] = &[("", ""), ("impl A { ", " }"), ("trait A { ", " }")];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut pick = |items: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((state >> 33) % (items as u64)).unwrap_or(0)
    };
    for _ in 0..1500 {
        let params: Vec<&str> = (0..pick(4)).map(|_| PARAMS[pick(PARAMS.len())]).collect();
        let (open, close) = WRAPS[pick(WRAPS.len())];
        let source = format!(
            "{open}{}fn f{}({}) {} {{}}{close}",
            PREFIXES[pick(PREFIXES.len())],
            GENERICS[pick(GENERICS.len())],
            params.join(", "),
            RETURNS[pick(RETURNS.len())],
        );
        let Ok(item) = source.parse() else { continue };
        let out = expand(quote!(), item);
        assert!(!out.is_empty(), "{source}");
    }
}
