//! Unit tests of the per-world markers: each position, both worlds, the
//! expression form, and every misuse.

use super::{World, keep_world};
use crate::common::Errors;
use quote::ToTokens;

/// `item` kept for `world`, printed, with the error messages.
fn keep(world: World, item: &str) -> (String, Vec<String>) {
    let mut item: syn::Item = syn::parse_str(item).expect("valid item");
    let mut errors = Errors::default();
    keep_world(world, &mut item, &mut errors);
    let messages = match errors.finish() {
        Ok(()) => Vec::new(),
        Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
    };
    (item.to_token_stream().to_string(), messages)
}

/// `item` printed as tokens.
fn tokens(item: &str) -> String {
    syn::parse_str::<syn::Item>(item).expect("valid expected item").to_token_stream().to_string()
}

/// Asserts that `input` becomes `async_out` / `blocking_out` without errors.
fn both(input: &str, async_out: &str, blocking_out: &str) {
    for (world, expected) in [(World::Async, async_out), (World::Blocking, blocking_out)] {
        let (out, errors) = keep(world, input);
        assert_eq!(errors, Vec::<String>::new(), "{world:?}");
        assert_eq!(out, tokens(expected), "{world:?}");
    }
}

#[test]
fn statements_of_every_kind() {
    both(
        "async fn f() { #[only_async] let a = x().await; #[only_blocking] let a = y(); \
         #[only_async] go().await; #[only_blocking] stop(); #[only_blocking] a = 3; \
         #[only_async] fn inner() {} #[only_blocking] use std::io::Read; \
         #[only_async] println!(\"a\"); a }",
        "async fn f() { let a = x().await; go().await; fn inner() {} println!(\"a\"); a }",
        "async fn f() { let a = y(); stop(); a = 3; use std::io::Read; a }",
    );
}

#[test]
fn items_of_a_module_and_nested_blocks() {
    both(
        "mod m { #[only_async] use tokio::io::AsyncReadExt; #[only_blocking] const N: u8 = 1; \
         #[twoworlds::only_async] struct S; fn f() { if c { #[only_blocking] g(); } } }",
        "mod m { use tokio::io::AsyncReadExt; struct S; fn f() { if c { } } }",
        "mod m { const N: u8 = 1; fn f() { if c { g(); } } }",
    );
}

#[test]
fn fields_variants_and_arms() {
    both(
        "mod m { struct S { a: u8, #[only_async] h: H } struct T(#[only_blocking] u8, u16); \
         enum E { A, #[only_blocking] B } \
         fn f(e: E) -> u8 { let s = S { a: 1, #[only_async] h: H }; let S { a, #[only_async] h } = s; \
         match e { E::A => 0, #[only_blocking] E::B => 1 } } }",
        "mod m { struct S { a: u8, h: H } struct T(u16); enum E { A } \
         fn f(e: E) -> u8 { let s = S { a: 1, h: H }; let S { a, h } = s; match e { E::A => 0, } } }",
        "mod m { struct S { a: u8 } struct T(u8, u16); enum E { A, B } \
         fn f(e: E) -> u8 { let s = S { a: 1 }; let S { a } = s; match e { E::A => 0, E::B => 1 } } }",
    );
}

#[test]
fn impl_and_trait_items() {
    both(
        "impl S { #[only_async] async fn a(&self) {} #[only_blocking] fn b(&self) {} \
         #[only_async] const C: u8 = 0; fn c(&self) {} }",
        "impl S { async fn a(&self) {} const C: u8 = 0; fn c(&self) {} }",
        "impl S { fn b(&self) {} fn c(&self) {} }",
    );
    both(
        "trait T { #[only_blocking] fn b(&self); #[only_async] type A; fn c(&self); }",
        "trait T { type A; fn c(&self); }",
        "trait T { fn b(&self); fn c(&self); }",
    );
}

#[test]
fn the_expression_form_in_every_position() {
    both(
        "async fn f() -> u8 { let n = per_world!(async => a().await, blocking => b()) + 1; \
         twoworlds::per_world!(blocking => stop(), async => go().await); \
         println!(\"{}\", per_world!(async => 1, blocking => 2)); \
         per_world!(async => n, blocking => per_world!(async => 0, blocking => n * 2)) }",
        "async fn f() -> u8 { let n = a().await + 1; go().await; \
         println!(\"{}\", 1); n }",
        "async fn f() -> u8 { let n = b() + 1; stop(); println!(\"{}\", 2); n * 2 }",
    );
}

#[test]
fn the_chosen_arm_keeps_its_precedence() {
    let (out, errors) =
        keep(World::Blocking, "fn f() { per_world!(async => 1, blocking => a + b) * 2; }");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out, tokens("fn f() { (a + b) * 2; }"));
}

/// The messages for `item` in the blocking world.
fn errors_of(item: &str) -> Vec<String> {
    keep(World::Blocking, item).1
}

#[test]
fn misplaced_markers_are_errors_and_stripped() {
    let (out, errors) =
        keep(World::Blocking, "fn f(#[only_async] a: u8) { g(#[only_blocking] x); }");
    assert_eq!(out, tokens("fn f(a: u8) { g(x); }"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("`#[only_async]` cannot be on a fn parameter"), "{errors:?}");
    assert!(errors[1].contains("`#[only_blocking]` cannot be on this node"), "{errors:?}");
    assert!(errors[1].contains("per_world!(async => .., blocking => ..)"), "{errors:?}");
    let generic = errors_of("fn f<#[only_async] T>() {}");
    assert!(generic[0].contains("cannot be on this node"), "{generic:?}");
    let on_item = errors_of("#[only_async] async fn f() {}");
    assert!(on_item[0].contains("cannot be on the `#[dual]` item itself"), "{on_item:?}");
}

#[test]
fn both_markers_duplicates_and_arguments_are_errors() {
    let (out, errors) = keep(World::Blocking, "fn f() { #[only_async] #[only_blocking] a(); }");
    assert_eq!(out, tokens("fn f() { a(); }"), "kept in both twins");
    assert!(errors[0].contains("both `#[only_async]` and `#[only_blocking]`"), "{errors:?}");
    let twice = errors_of("fn f() { #[only_async] #[only_async] a(); }");
    assert!(twice[0].contains("duplicate `#[only_async]`"), "{twice:?}");
    let args = errors_of("fn f() { #[only_blocking(x)] a(); #[only_async = 1] b(); }");
    assert_eq!(args.len(), 2, "{args:?}");
    assert!(args.iter().all(|e| e.contains("takes no arguments")), "{args:?}");
    let inner = errors_of("mod m { mod n { #![only_async] } }");
    assert!(inner[0].contains("must be an outer attribute"), "{inner:?}");
}

#[test]
fn malformed_per_world_calls() {
    let missing = errors_of("fn f() { per_world!(async => a()); }");
    assert!(missing[0].contains("the `blocking` arm is missing"), "{missing:?}");
    let typo = errors_of("fn f() { per_world!(asyn => a(), blocking => b()); }");
    assert!(
        typo[0].contains("unknown world `asyn`") && typo[0].contains("did you mean `async`?"),
        "{typo:?}"
    );
    let twice = errors_of("fn f() { per_world!(async => a(), blocking => b(), blocking => c()); }");
    assert!(twice[0].contains("duplicate `blocking` arm"), "{twice:?}");
    let arrow = errors_of("fn f() { per_world!(async a(), blocking => b()); }");
    assert!(arrow[0].contains("expected `=>` after `async`"), "{arrow:?}");
    let empty = errors_of("fn f() { per_world!(); }");
    assert!(empty[0].contains("empty `per_world!()`"), "{empty:?}");
    let item = errors_of("mod m { per_world!(async => 1, blocking => 2); }");
    assert!(item[0].contains("cannot stand for an item"), "{item:?}");
    let ty = errors_of("fn f(x: per_world!(async => u8, blocking => u16)) {}");
    assert!(ty[0].contains("cannot stand for an item, a type"), "{ty:?}");
}

#[test]
fn a_broken_per_world_leaves_an_expression_that_fits() {
    let (out, errors) = keep(World::Blocking, "fn f() -> u8 { per_world!(async => 1) }");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(out, tokens("fn f() -> u8 { 1 }"), "the other arm stands in");
    let (out, errors) = keep(World::Async, "fn f() -> u8 { per_world!(asink => 1) }");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(out, tokens("fn f() -> u8 { ::core::unreachable!() }"));
    let (out, _) = keep(
        World::Async,
        "fn f(per_world!(async => x, blocking => y): per_world!(async => u8, blocking => u16)) {}",
    );
    assert_eq!(out, tokens("fn f(_: ()) {}"));
}

#[test]
fn per_world_inside_macro_arguments_with_a_path() {
    let (out, errors) = keep(
        World::Async,
        "fn f() { assert_eq!(::twoworlds::per_world!(async => x.await, blocking => x), vec![per_world!(async => 1, blocking => 2)]); }",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(out.replace(' ', ""), "fnf(){assert_eq!(x.await,vec![1]);}");
}

#[test]
fn errors_in_the_arm_of_the_other_world_are_reported_too() {
    let item =
        "fn f() { per_world!(async => 1, blocking => g(#[only_async] per_world!(async => 2))); }";
    for world in [World::Async, World::Blocking] {
        let (_, errors) = keep(world, item);
        assert_eq!(errors.len(), 2, "{world:?}: {errors:?}");
        assert!(errors.iter().any(|e| e.contains("the `blocking` arm is missing")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("cannot be on a `per_world!` call")),
            "{errors:?}"
        );
    }
}
