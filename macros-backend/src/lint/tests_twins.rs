//! Unit tests of the lint's twin rules (`twins`: `m::blocking::f()`,
//! `BlockingTrait` calls) and of futures handed on un-awaited (`handed`).

use super::tests::{found, found_with};
use super::*;

/// The `api` of each finding in `body`, the body of `sig`.
fn found_in(sig: &str, body: &str) -> Vec<String> {
    let sig: syn::Signature = syn::parse_str(sig).expect("signature parses");
    let block: syn::Block = syn::parse_str(body).expect("body parses");
    let receivers = twins::blocking_receivers(&sig);
    find_in(&block, Allow::NONE, &Imports::default(), receivers)
        .into_iter()
        .map(|f| f.api)
        .collect()
}

#[test]
fn fns_of_a_blocking_module_are_blocking_twins() {
    let twin = ["`m::blocking::load` (a blocking twin: a fn of a `blocking` module)"];
    assert_eq!(found("{ let s = m::blocking::load(p).unwrap(); }"), twin);
    assert_eq!(found("{ crate::m::blocking::load(p); }").len(), 1);
    assert_eq!(found("{ self::blocking::load(p); }").len(), 1);
    assert_eq!(found("{ reqwest::blocking::get(url)?; }").len(), 1);
    assert_eq!(found_with("use crate::m::blocking;", "{ blocking::load(p); }").len(), 1);
    // the `blocking` crate (`blocking::unblock` is async), a type's function,
    // the async item, and an awaited call are not
    assert!(found("{ blocking::unblock(|| f()).await; blocking::load(p); }").is_empty());
    assert!(found("{ let c = m::blocking::Client::new(); }").is_empty());
    assert!(found("{ m::load(p).await; m::blocking::load(p).await; }").is_empty());
    let instead = find_blocking_calls(
        &syn::parse_quote!({
            crate::m::blocking::load(p);
        }),
        Allow::NONE,
        &Imports::default(),
    );
    assert_eq!(instead[0].instead, "the async `crate::m::load(..).await`");
}

#[test]
fn blocking_twins_by_prefix_name_their_async_twin() {
    let calls = find_blocking_calls(
        &syn::parse_quote!({
            crate::blocking_fetch("x");
            Client::blocking_get(&c);
        }),
        Allow::NONE,
        &Imports::default(),
    );
    assert_eq!(calls[0].api, "blocking twin `crate::blocking_fetch`");
    assert_eq!(calls[0].instead, "the async twin `crate::fetch(..).await`");
    assert_eq!(calls[1].instead, "the async twin `Client::get(..).await`");
}

#[test]
fn blocking_trait_calls_through_the_trait() {
    let api = "`BlockingStore::get` (a method of the blocking trait `BlockingStore`)";
    assert_eq!(found("{ BlockingStore::get(&s, 1); }"), [api]);
    assert_eq!(found("{ store::BlockingStore::get(&s, 1); }").len(), 1);
    assert_eq!(found("{ <S as BlockingStore>::get(&s, 1); }").len(), 1);
    assert_eq!(found("{ <S as store::BlockingStore>::get(&s, 1); }").len(), 1);
    // the async trait, a constructor of a type named `Blocking..`, `Blocking` alone
    assert!(found("{ Store::get(&s, 1).await; <S as Store>::get(&s, 1).await; }").is_empty());
    assert!(found("{ BlockingQueue::new(); BlockingQueue::with_capacity(1); }").is_empty());
    assert!(found("{ Blocking::get(&s); Blockingly::get(&s); }").is_empty());
    let calls = find_blocking_calls(
        &syn::parse_quote!({
            BlockingStore::get(&s, 1);
        }),
        Allow::NONE,
        &Imports::default(),
    );
    assert_eq!(calls[0].instead, "the async trait's `Store::get(..).await`");
}

#[test]
fn methods_on_parameters_declared_with_a_blocking_trait() {
    let body = "{ s.get(1); (*s).put(2); t.get(1); }";
    let one = |sig| found_in(sig, "{ s.get(1); }");
    assert_eq!(
        one("async fn f(s: &impl BlockingStore)"),
        ["`s.get(..)` (`s` is declared with a blocking trait)"]
    );
    assert_eq!(one("async fn f(s: &dyn store::BlockingStore)").len(), 1);
    assert_eq!(one("async fn f(s: Box<dyn BlockingStore + Send>)").len(), 1);
    assert_eq!(one("async fn f<S: BlockingStore>(s: &mut S)").len(), 1);
    assert_eq!(one("async fn f<S>(s: std::sync::Arc<S>) where S: BlockingStore + Sync").len(), 1);
    assert_eq!(found_in("async fn f(s: &impl BlockingStore, t: &impl Store)", body).len(), 2);
    // the async trait, a collection of them, awaited
    assert!(one("async fn f(s: &impl Store)").is_empty());
    assert!(one("async fn f<S: BlockingStore>(s: Vec<S>)").is_empty());
    assert!(found_in("async fn f(s: &impl BlockingStore)", "{ s.get(1).await; }").is_empty());
}

#[test]
fn tokio_futures_handed_on_unawaited_are_not_std_calls() {
    // `TcpStream` / `fs` imported from tokio at module level, out of sight:
    for body in [
        "{ with_timeout(TcpStream::connect(a)).await }",
        "{ tokio::time::timeout(d, fs::read(p)).await }",
        "{ let fut = fs::read(p); tokio::spawn(fut); }",
        "{ let mut fut = fs::read(p); other().await; fut.await }",
        "{ let fut = TcpStream::connect(a); with_timeout(fut).await }",
        "{ let (a, b) = tokio::join!(fs::read(a), fs::read(b)); }",
        "{ let fut = fs::read(p); tokio::pin!(fut); }",
        "{ let f = fs::read(p); let (a, b) = futures::join!(f, fs::read(q)); }",
        "{ set.spawn(fs::read(p)); Box::pin(fs::read(p)) }",
        "{ fs::read(p).boxed().await; fs::write(p, b).instrument(span).await; }",
        "{ retry(|| TcpStream::connect(a)).await; }",
    ] {
        assert!(found(body).is_empty(), "{body}: {:?}", found(body));
    }
}

#[test]
fn blocking_calls_handed_on_are_still_found() {
    // a path that is std's for sure, whatever happens to its value
    assert_eq!(found("{ send(std::fs::read(p)).await; }").len(), 1);
    assert_eq!(found_with("use std::fs;", "{ let f = fs::read(p); f.await; }").len(), 1);
    // a guessed one whose value is used as a value
    assert_eq!(found("{ let data = fs::read(p)?; send(data).await; }").len(), 1);
    assert_eq!(found("{ let s = TcpStream::connect(a); s.unwrap(); }").len(), 1);
    assert_eq!(found("{ let f = fs::read(p); println!(\"{f:?}\"); }").len(), 1);
    // a variable of the same name handed on elsewhere does not excuse an
    // unbound call
    assert_eq!(found("{ fs::read(p); let f = g(); f.await; }").len(), 1);
}
