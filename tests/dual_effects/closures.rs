//! Closures that return futures: `F: FnMut(A) -> Fut, Fut: Future<Output =
//! T>` and `impl AsyncFn(A) -> T` params become `FnMut(A) -> T` / `Fn(A) ->
//! T` in the blocking twin, and a caller of the same invocation passes its
//! `|x| async move { .. }` as `|x| { .. }`. Each scenario runs both twins
//! (results and order of side effects agree); the closure bodies' own
//! `.await`s of `#[dual]` items run those items' blocking twins (their log
//! says `blocking`, not `in a block_on`).

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
/// blanket impl hands it to the async method as a closure returning a
/// ready future, and the trait's default passes its async closure as a
/// sync one to the blocking trait's method.
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
