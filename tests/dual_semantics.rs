//! `#[dual]` keeps the meaning of the async body in the blocking twin:
//! async blocks with `return`/`?`/`break`, async closures, `.await` inside
//! macros, futures in signatures, generics; and the twin of a body without
//! foreign `.await`s never touches the runtime.
#![deny(warnings, clippy::all, clippy::pedantic)]
#![allow(clippy::unused_async, clippy::manual_async_fn, missing_docs)]

use ::std::fmt::Write as _;
use ::std::future::Future;
use twoworlds::dual;

#[dual]
async fn early(c: bool) -> u32 {
    // `return` leaves the block, not the fn: 1 or 2, then + 10.
    let v = async {
        if c {
            return 1;
        }
        2
    }
    .await;
    v + 10
}

#[dual]
async fn question(s: &str) -> Result<u32, String> {
    let parsed = async { s.parse::<u32>().map_err(|e| e.to_string()) }.await;
    let doubled = async move {
        let n = parsed?;
        Ok::<u32, String>(n * 2)
    }
    .await;
    if s.is_empty() {
        return Err("empty".to_owned());
    }
    Ok(doubled.unwrap_or(0) + 1)
}

#[dual]
async fn loops(n: u32) -> u32 {
    let mut total = 0;
    for i in 0..n {
        let step = async {
            let mut k = 0;
            loop {
                k += 1;
                if k > i {
                    break k;
                }
            }
        }
        .await;
        if step > 3 {
            break;
        }
        total += step;
    }
    total
}

#[dual]
async fn closures(xs: Vec<u32>) -> u32 {
    let add = async move |x: u32| x + 1;
    let times = |x: u32| async move { x * 2 };
    let mut sum = 0;
    for x in xs {
        sum += add(x).await + times(x).await;
    }
    sum
}

/// Calls other `#[dual]` fns: not part of this invocation, so bridged.
#[dual]
async fn in_macros(x: u32) -> String {
    let mut out = format!("{}", early(true).await);
    write!(out, "-{}", early(false).await).unwrap();
    assert_eq!(early(true).await, 11, "with {x}");
    assert!(matches!(question("2").await, Ok(5)));
    let v = vec![early(true).await; 2];
    write!(out, "-{v:?}-{}", x + early(true).await - 11).unwrap();
    out
}

#[dual]
async fn generic<T: Clone + ::std::fmt::Debug, F: Future<Output = T>>(
    f: F,
    times: usize,
) -> Vec<T> {
    let v = f.await;
    vec![v; times]
}

#[dual]
fn returns_future(x: u32) -> impl Future<Output = u32> + Send {
    async move { x + 1 }
}

#[dual]
async fn calls_returns_future(x: u32) -> u32 {
    // Not part of this invocation: bridged through block_on in the twin.
    returns_future(x).await * 2
}

/// A future handed to someone else stays a future in the blocking twin:
/// here to `block_on` (from the blocking twin, on a plain thread) and to a
/// fn that polls it (`futures_lite::future::block_on`, which never refuses).
#[dual]
async fn hands_futures_on(x: u32) -> u32 {
    let handed = async move { x + 1 };
    // Deliberate here (a ready future); the lint would flag it otherwise.
    #[allow_blocking]
    let polled = futures_lite::future::block_on(handed);
    #[only_blocking]
    let bridged = twoworlds::block_on(async move { x * 10 });
    #[only_async]
    let bridged = x * 10;
    let later = async { polled * 2 };
    bridged + later.await
}

/// Both twins, same answers.
#[test]
fn twins_agree_on_every_body() {
    for c in [true, false] {
        assert_eq!(blocking_early(c), twoworlds::block_on(early(c)));
    }
    assert_eq!(blocking_early(true), 11);
    assert_eq!(blocking_early(false), 12);
    assert_eq!(blocking_question(""), Err("empty".to_owned()));
    for s in ["4", "x", ""] {
        assert_eq!(blocking_question(s), twoworlds::block_on(question(s)));
    }
    assert_eq!(blocking_question("4"), Ok(9));
    assert_eq!(blocking_question("x"), Ok(1));
    for n in [0, 3, 10] {
        assert_eq!(blocking_loops(n), twoworlds::block_on(loops(n)));
    }
    assert_eq!(blocking_loops(10), 6);
    assert_eq!(blocking_closures(vec![1, 2]), 11);
    assert_eq!(twoworlds::block_on(closures(vec![1, 2])), 11);
    assert_eq!(blocking_in_macros(7), "11-12-[11, 11]-7");
    assert_eq!(twoworlds::block_on(in_macros(7)), "11-12-[11, 11]-7");
    assert_eq!(blocking_generic("a", 2), vec!["a", "a"]);
    assert_eq!(twoworlds::block_on(generic(async { "a" }, 2)), vec!["a", "a"]);
    assert_eq!(blocking_hands_futures_on(2), 26);
    assert_eq!(twoworlds::block_on(hands_futures_on(2)), 26);
    assert_eq!(blocking_returns_future(1), 2);
    assert_eq!(blocking_calls_returns_future(1), 4);
    assert_eq!(twoworlds::block_on(calls_returns_future(1)), 4);
}

/// A twin without foreign `.await`s is plain sync code, and yet a blocking
/// call: inside another future's poll it is refused like a `block_on`
/// (checked in debug builds, and with feature `twin-checks`).
#[test]
fn twins_of_self_contained_bodies_are_sync_code_refused_inside_a_poll() {
    let outside = (blocking_early(true), blocking_loops(10), blocking_closures(vec![1]));
    assert_eq!(outside, (11, 6, 4));
    let inside = ::std::thread::spawn(|| {
        twoworlds::block_on(async { ::std::panic::catch_unwind(|| blocking_loops(10)) })
    })
    .join()
    .unwrap();
    let checked = cfg!(debug_assertions) || twoworlds::__private::TWIN_CHECKS;
    assert_eq!(inside.is_err(), checked, "inside a poll, a twin is refused when checks are on");
}

/// A bridged `.await` does go through the runtime (and is refused inside a poll).
#[test]
fn bridged_awaits_use_block_on() {
    let joined = ::std::thread::spawn(|| {
        twoworlds::block_on(async {
            ::std::panic::catch_unwind(|| blocking_calls_returns_future(1))
        })
    })
    .join()
    .unwrap();
    assert!(joined.is_err(), "block_on inside a poll must be refused");
}

/// What a crate re-exporting `twoworlds` would offer.
mod reexport {
    pub(crate) use twoworlds::__private;
}

mod user {
    #[twoworlds::dual(crate = crate::reexport)]
    pub(crate) async fn through_reexport() -> u32 {
        ::std::future::ready(3).await
    }
}

#[test]
fn crate_option_names_the_runtime_path() {
    assert_eq!(user::blocking_through_reexport(), 3);
    assert_eq!(twoworlds::block_on(user::through_reexport()), 3);
}

/// Sets its flag when dropped.
struct DropFlag(::std::sync::Arc<::std::sync::atomic::AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, ::std::sync::atomic::Ordering::SeqCst);
    }
}

/// Never uses its arguments: as with any `async fn`, they live in the future.
#[dual]
async fn ignores(_flag: DropFlag, mut n: u32) -> u32 {
    n += 1;
    n
}

/// Ignores its argument through a pattern, so it keeps the nested shape.
#[dual]
async fn ignores_pattern(_: DropFlag) -> u32 {
    7
}

#[test]
fn arguments_live_as_long_as_the_future_as_with_async_fn() {
    use ::std::sync::Arc;
    use ::std::sync::atomic::{AtomicBool, Ordering};
    for shape in ["desugared", "nested"] {
        let dropped = Arc::new(AtomicBool::new(false));
        let flag = DropFlag(Arc::clone(&dropped));
        let out = if shape == "desugared" {
            let fut = ignores(flag, 1);
            assert!(!dropped.load(Ordering::SeqCst), "{shape}: dropped before the first poll");
            twoworlds::block_on(fut)
        } else {
            let fut = ignores_pattern(flag);
            assert!(!dropped.load(Ordering::SeqCst), "{shape}: dropped before the first poll");
            twoworlds::block_on(fut) - 5
        };
        assert_eq!(out, 2);
        assert!(dropped.load(Ordering::SeqCst), "{shape}: never dropped");
    }
    let flag = || DropFlag(Arc::new(AtomicBool::new(false)));
    assert_eq!(blocking_ignores(flag(), 1), 2);
    assert_eq!(blocking_ignores_pattern(flag()), 7);
}
