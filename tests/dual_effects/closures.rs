//! Closures that return futures: `F: FnMut(A) -> Fut, Fut: Future<Output =
//! T>` and `impl AsyncFn(A) -> T` params become `FnMut(A) -> T` / `Fn(A) ->
//! T` in the blocking twin where the body only calls them and awaits at
//! once (kept as they are otherwise), and a caller of the same invocation
//! passes its `|x| async move { .. }` as `|x| { .. }` there. Each scenario runs both twins
//! (results and order of side effects agree); the closure bodies' own
//! `.await`s of `#[dual]` items run those items' blocking twins (their log
//! says `blocking`, not `in a block_on`).

// The code #[dual] generates for these shapes is warning-free.
#![deny(warnings, clippy::all, clippy::pedantic)]

use crate::{Log, agree, world};
use twoworlds::dual;

/// A `#[dual]` step the closures await.
#[dual]
async fn fetch(log: &Log, attempt: u32) -> Result<u32, String> {
    log.push(format!(
        "fetch {attempt} ran {}",
        world(per_world!(async => "async", blocking => "blocking"))
    ));
    if attempt < 3 { Err(format!("attempt {attempt} failed")) } else { Ok(attempt * 10) }
}

/// The fn form: a retry loop over a closure returning a future.
#[dual]
async fn retry<F, Fut, T>(log: &Log, tries: u32, mut op: F) -> Result<T, String>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let mut last = String::new();
    for attempt in 1..=tries {
        match op(attempt).await {
            Ok(value) => return Ok(value),
            Err(error) => {
                log.push(format!("retry after: {error}"));
                last = error;
            }
        }
    }
    Err(last)
}

#[test]
fn a_closure_param_returning_a_future_takes_a_sync_closure_in_the_twin() {
    let effects = agree(
        |log| blocking_retry(log, 5, |attempt| blocking_fetch(log, attempt)),
        |log| async move { retry(&log, 5, |attempt| fetch(&log, attempt)).await },
    );
    assert_eq!(
        effects,
        [
            "fetch 1 ran blocking",
            "retry after: attempt 1 failed",
            "fetch 2 ran blocking",
            "retry after: attempt 2 failed",
            "fetch 3 ran blocking",
        ]
    );
    let log = Log::default();
    assert_eq!(
        blocking_retry(&log, 2, |attempt| blocking_fetch(&log, attempt)),
        Err("attempt 2 failed".into())
    );
}

/// `impl AsyncFn` and `AsyncFnMut` bounds (async closures).
#[dual]
async fn sum_of(values: &[u32], f: impl AsyncFn(u32) -> u32) -> u32 {
    let mut sum = 0;
    for value in values {
        sum += f(*value).await;
    }
    sum
}

#[test]
fn async_fn_bounds_become_fn_bounds_in_the_twin() {
    let effects = agree(
        |log| {
            blocking_sum_of(&[1, 2, 3], |v| {
                log.push(format!("double {v}"));
                v * 2
            })
        },
        |log| async move {
            sum_of(&[1, 2, 3], async |v| {
                log.push(format!("double {v}"));
                v * 2
            })
            .await
        },
    );
    assert_eq!(effects, ["double 1", "double 2", "double 3"]);
}

/// The same invocation: a method passes `|x| async move { .. }` to another
/// method, which the twin passes as `|x| { .. }` to that method's twin.
struct Client {
    /// The log of this run.
    log: Log,
}

#[dual]
impl Client {
    async fn with_retry<F, Fut>(&self, mut op: F) -> Result<u32, String>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<u32, String>>,
    {
        for attempt in 1..4 {
            if let Ok(value) = op(attempt).await {
                return Ok(value);
            }
            self.log.push(format!(
                "{} retries",
                world(per_world!(async => "async", blocking => "blocking"))
            ));
        }
        Err("gave up".into())
    }

    async fn get(&self, base: u32) -> Result<u32, String> {
        let log = &self.log;
        let value = self.with_retry(|attempt| async move { fetch(log, attempt).await }).await?;
        Ok(value + base)
    }
}

#[test]
fn a_method_passes_its_async_closure_as_a_sync_one_to_its_twin() {
    let effects = agree(
        |log| Client { log: log.clone() }.blocking_get(1),
        |log| async move { Client { log }.get(1).await },
    );
    assert_eq!(
        effects,
        [
            "fetch 1 ran blocking",
            "blocking retries",
            "fetch 2 ran blocking",
            "blocking retries",
            "fetch 3 ran blocking",
        ]
    );
}

/// The mod form: free fns of one module, an async closure with `?` and an
/// early `return` in its body.
#[dual]
mod pipeline {
    use crate::Log;

    pub(crate) async fn map_all<F, Fut>(
        log: &Log,
        items: Vec<u32>,
        mut f: F,
    ) -> Result<Vec<u32>, String>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<u32, String>>,
    {
        let mut out = Vec::new();
        for item in items {
            log.push(format!("map {item}"));
            out.push(f(item).await?);
        }
        Ok(out)
    }

    pub(crate) async fn scaled(log: &Log, items: Vec<u32>) -> Result<Vec<u32>, String> {
        map_all(log, items, |item| async move {
            if item == 0 {
                return Err("zero".to_owned());
            }
            let fetched = super::fetch(log, item).await.unwrap_or(item);
            Ok(fetched + 1)
        })
        .await
    }
}

#[test]
fn a_module_passes_its_async_closures_as_sync_ones_to_its_twins() {
    let effects = agree(
        |log| pipeline::blocking::scaled(log, vec![2, 3]),
        |log| async move { pipeline::scaled(&log, vec![2, 3]).await },
    );
    assert_eq!(effects, ["map 2", "fetch 2 ran blocking", "map 3", "fetch 3 ran blocking"]);
    let effects = agree(
        |log| pipeline::blocking::scaled(log, vec![1, 0, 5]),
        |log| async move { pipeline::scaled(&log, vec![1, 0, 5]).await },
    );
    assert_eq!(effects, ["map 1", "fetch 1 ran blocking", "map 0"]);
}

/// Another invocation awaiting `retry` with an async closure: the closure
/// exists only in its async shape there, so `retry`'s `#[dual]` future runs
/// its body with that closure, settling each of its futures through
/// `block_on` (the same results and effects; calling `blocking_retry` with
/// a sync closure, as above, is the sync path).
#[dual]
async fn retry_from_elsewhere(log: &Log) -> Result<u32, String> {
    retry(log, 4, |attempt| fetch(log, attempt)).await
}

#[test]
fn another_invocation_passing_an_async_closure_gets_the_same_results() {
    let effects =
        agree(blocking_retry_from_elsewhere, |log| async move { retry_from_elsewhere(&log).await });
    assert_eq!(
        effects,
        [
            "fetch 1 ran async in a block_on",
            "retry after: attempt 1 failed",
            "fetch 2 ran async in a block_on",
            "retry after: attempt 2 failed",
            "fetch 3 ran async in a block_on",
        ]
    );
}

/// The trait form: the blocking trait's method takes a sync closure; the
/// blanket impl hands it to the async method as a closure whose future
/// calls it when first polled, and the trait's default passes its async
/// closure as a sync one to the blocking trait's method.
#[dual]
pub(crate) trait Runner {
    async fn run<F, Fut>(&self, log: &Log, f: F) -> u32
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = u32>;

    async fn twice(&self, log: &Log) -> u32 {
        self.run(log, |x| async move {
            log.push(format!("closure {x}"));
            x * 2
        })
        .await
    }
}

/// An implementor.
struct Doubler;

#[dual]
impl Runner for Doubler {
    async fn run<F, Fut>(&self, log: &Log, f: F) -> u32
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = u32>,
    {
        log.push(format!("run {}", world(per_world!(async => "async", blocking => "blocking"))));
        f(20).await + f(1).await
    }
}

#[test]
fn a_trait_method_takes_a_sync_closure_in_the_blocking_trait() {
    let effects = agree(
        |log| BlockingRunner::twice(&Doubler, log),
        |log| async move { Runner::twice(&Doubler, &log).await },
    );
    assert_eq!(effects, ["run blocking", "closure 20", "closure 1"]);
    let log = Log::default();
    assert_eq!(BlockingRunner::run(&Doubler, &log, |x| x + 1), 23);
}

/// An implementor that makes the closure's first future, logs, and only
/// then awaits it: the blanket impl's adapter calls a blocking caller's sync
/// closure when that future is first polled, so the order is the async one.
struct MadeFirst;

#[dual]
impl Runner for MadeFirst {
    async fn run<F, Fut>(&self, log: &Log, f: F) -> u32
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = u32>,
    {
        let first = f(20);
        log.push("made".to_owned());
        first.await + f(1).await
    }
}

#[test]
fn the_blocking_trait_runs_a_sync_closure_where_the_async_method_awaits_it() {
    let effects = agree(
        |log| BlockingRunner::twice(&MadeFirst, log),
        |log| async move { Runner::twice(&MadeFirst, &log).await },
    );
    assert_eq!(effects, ["made", "closure 20", "closure 1"]);
    let log = Log::default();
    let sync = |x| {
        log.push(format!("sync {x}"));
        x
    };
    assert_eq!(BlockingRunner::run(&MadeFirst, &log, sync), 21);
    assert_eq!(log.take(), ["made", "sync 20", "sync 1"]);
}

/// A trait method whose closure borrows its argument keeps it in the
/// blocking trait (a future that calls a sync closure when polled could not
/// hold the borrowed argument until then); its future is settled where the
/// method awaits it.
#[dual]
pub(crate) trait Lookup {
    async fn find<F, Fut>(&self, key: &str, f: F) -> usize
    where
        F: Fn(&str) -> Fut,
        Fut: Future<Output = usize>;
}

/// An implementor.
struct Keys;

#[dual]
impl Lookup for Keys {
    async fn find<F, Fut>(&self, key: &str, f: F) -> usize
    where
        F: Fn(&str) -> Fut,
        Fut: Future<Output = usize>,
    {
        f(key).await + 1
    }
}

#[test]
fn a_trait_closure_borrowing_its_argument_stays_async_in_the_blocking_trait() {
    let length = |key: &str| {
        let length = key.len();
        async move { length }
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert_eq!(runtime.block_on(Lookup::find(&Keys, "abc", length)), 4);
    assert_eq!(BlockingLookup::find(&Keys, "abc", length), 4);
}

/// A closure called first and awaited later: the fn makes the future, logs,
/// then awaits it. The twin keeps the closure as it is (a sync one would run
/// its body at the call, before "made") and settles its future where the fn
/// awaits it; a caller of the same invocation keeps its async closure.
#[dual]
mod awaited_later {
    use crate::Log;

    pub(crate) async fn made_then_awaited<F, Fut>(log: &Log, op: F) -> u32
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = u32>,
    {
        let first = op(1);
        log.push("made".to_owned());
        first.await + op(2).await
    }

    pub(crate) async fn caller(log: &Log) -> u32 {
        made_then_awaited(log, |x| async move {
            log.push(format!("closure {x}"));
            x * 10
        })
        .await
    }
}

#[test]
fn a_closure_awaited_after_its_call_runs_its_body_at_the_await_in_both_twins() {
    let effects = agree(
        |log| {
            awaited_later::blocking::made_then_awaited(log, |x| async move {
                log.push(format!("closure {x}"));
                x * 10
            })
        },
        |log| async move {
            let log = &log;
            awaited_later::made_then_awaited(log, |x| async move {
                log.push(format!("closure {x}"));
                x * 10
            })
            .await
        },
    );
    assert_eq!(effects, ["made", "closure 1", "closure 2"]);
    let effects =
        agree(
            awaited_later::blocking::caller,
            |log| async move { awaited_later::caller(&log).await },
        );
    assert_eq!(effects, ["made", "closure 1", "closure 2"]);
}

/// Under `strict`, the twin of a fn taking `impl AsyncFn` is sync code (no
/// bridge to refuse: the closure's value passes through).
#[dual(strict)]
async fn strict_sum(f: impl AsyncFn(u32) -> u32) -> u32 {
    f(1).await + f(2).await
}

#[test]
fn a_strict_twin_takes_sync_closures() {
    assert_eq!(blocking_strict_sum(|x| x * 3), 9);
}

/// A `#[dual] mod`'s trait takes a sync closure in its blocking twin; of its
/// impls, one awaits the closure's futures at once, one makes the first,
/// logs, and awaits it later: that impl's twin takes the trait's sync
/// closure too and calls it when the future standing for it is awaited.
#[dual]
mod module_trait {
    use crate::Log;

    pub(crate) trait Run {
        async fn run<F, Fut>(&self, log: &Log, f: F) -> u32
        where
            F: Fn(u32) -> Fut,
            Fut: Future<Output = u32>;

        async fn twice(&self, log: &Log) -> u32 {
            self.run(log, |x| async move {
                log.push(format!("closure {x}"));
                x * 2
            })
            .await
        }
    }

    pub(crate) struct AtOnce;

    impl Run for AtOnce {
        async fn run<F, Fut>(&self, _: &Log, f: F) -> u32
        where
            F: Fn(u32) -> Fut,
            Fut: Future<Output = u32>,
        {
            f(20).await + f(1).await
        }
    }

    pub(crate) struct Later;

    impl Run for Later {
        async fn run<F, Fut>(&self, log: &Log, f: F) -> u32
        where
            F: Fn(u32) -> Fut,
            Fut: Future<Output = u32>,
        {
            let first = f(20);
            log.push("made".to_owned());
            first.await + f(1).await
        }
    }
}

#[test]
fn a_module_trait_impl_awaiting_later_takes_the_traits_sync_closure() {
    use module_trait::Run as _;
    use module_trait::blocking::Run as _;
    let effects = agree(
        |log| module_trait::blocking::Later.twice(log),
        |log| async move { module_trait::Later.twice(&log).await },
    );
    assert_eq!(effects, ["made", "closure 20", "closure 1"]);
    let effects = agree(
        |log| module_trait::blocking::AtOnce.twice(log),
        |log| async move { module_trait::AtOnce.twice(&log).await },
    );
    assert_eq!(effects, ["closure 20", "closure 1"]);
    let log = Log::default();
    let sync = |x| {
        log.push(format!("sync {x}"));
        x
    };
    assert_eq!(module_trait::blocking::Later.run(&log, sync), 21);
    assert_eq!(log.take(), ["made", "sync 20", "sync 1"]);
}
