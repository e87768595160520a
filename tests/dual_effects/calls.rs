//! Calls from a blocking twin to another `#[dual]` item, of each kind: the
//! same invocation, another invocation, a supertrait's method through a
//! generic bound, and an item of another crate (`dual-library`). In each,
//! the callee's blocking twin runs (its log says `blocking`, with no tokio
//! context entered: no `block_on` bridge), and its body runs where the call
//! was awaited, not where the future was made.

use crate::{Log, agree, world};
use twoworlds::dual;

/// Another invocation: a free fn.
#[dual]
async fn step(log: &Log, n: u32) -> u32 {
    log.push(format!(
        "step {n} ran {}",
        world(per_world!(async => "async", blocking => "blocking"))
    ));
    n + 1
}

/// Calls `step` (another invocation), making the future before logging.
#[dual]
async fn two_steps(log: &Log) -> u32 {
    let first = step(log, 1);
    log.push("between");
    let a = first.await;
    a + step(log, 10).await
}

#[test]
fn another_invocation_runs_its_blocking_twin_where_it_is_awaited() {
    let effects = agree(blocking_two_steps, |log| async move { two_steps(&log).await });
    assert_eq!(effects, ["between", "step 1 ran blocking", "step 10 ran blocking"]);
}

/// The same invocation: methods calling methods.
struct Counter {
    /// The log of this run.
    log: Log,
}

#[dual]
impl Counter {
    async fn inner(&self, n: u32) -> u32 {
        self.log.push(format!(
            "inner {n} ran {}",
            world(per_world!(async => "async", blocking => "blocking"))
        ));
        n * 2
    }

    async fn outer(&self) -> u32 {
        self.inner(1).await + Self::inner(self, 2).await
    }
}

#[test]
fn the_same_invocation_runs_its_blocking_twin() {
    let effects = agree(
        |log| Counter { log: log.clone() }.blocking_outer(),
        |log| async move { Counter { log }.outer().await },
    );
    assert_eq!(effects, ["inner 1 ran blocking", "inner 2 ran blocking"]);
}

/// A supertrait, reached through a generic bound.
#[dual]
trait Base {
    fn log(&self) -> &Log;
    async fn base(&self) -> u32 {
        self.log().push(format!(
            "base ran {}",
            world(per_world!(async => "async", blocking => "blocking"))
        ));
        7
    }
}

#[dual]
trait Derived: Base {
    async fn derived(&self) -> u32 {
        self.base().await * 2
    }
}

struct Both(Log);

impl Base for Both {
    fn log(&self) -> &Log {
        &self.0
    }
}

impl Derived for Both {}

/// Generic over the async trait: its blocking twin still calls twins.
#[dual]
async fn through_bound<D: Derived>(d: &D) -> u32 {
    d.derived().await + 1
}

#[test]
fn a_supertrait_default_reached_through_a_bound_runs_its_blocking_twin() {
    let effects = agree(
        |log| blocking_through_bound(&Both(log.clone())),
        |log| async move { through_bound(&Both(log)).await },
    );
    assert_eq!(effects, ["base ran blocking"]);
    // And through the blanket impl of the blocking trait.
    let log = Log::default();
    assert_eq!(BlockingDerived::derived(&Both(log.clone())), 14);
    assert_eq!(BlockingBase::base(&Both(log.clone())), 7);
    assert_eq!(log.take(), ["base ran blocking", "base ran blocking"]);
}

/// Another crate: `dual_library` is a `#[dual]` library; this invocation
/// calls its free fn, its type's method and its trait, with no annotation.
#[dual]
async fn over_a_library(log: &Log) -> u32 {
    let client = dual_library::Client::connect(1).await;
    let fetched = client.fetch(2).await;
    let hooked = dual_library::run_hook(&Hook(log.clone())).await;
    fetched + hooked + dual_library::add(1, 2).await
}

/// A downstream impl of the library's `#[dual]` trait.
struct Hook(Log);

#[dual]
impl dual_library::Hook for Hook {
    async fn on_event(&self, n: u32) -> u32 {
        self.0.push(format!(
            "hook {n} ran {}",
            world(per_world!(async => "async", blocking => "blocking"))
        ));
        n
    }
}

#[test]
fn another_crate_s_dual_items_run_their_blocking_twins() {
    let effects = agree(blocking_over_a_library, |log| async move { over_a_library(&log).await });
    assert_eq!(effects, ["hook 5 ran blocking"]);
    // The library's own record of which world each of its fns ran in.
    let _ = dual_library::take_worlds();
    assert_eq!(blocking_over_a_library(&Log::default()), 15, "fetch 12, hook 0, add 3");
    assert_eq!(dual_library::take_worlds(), ["connect blocking", "fetch blocking", "add blocking"]);
}

#[test]
fn twins_of_an_older_edition_crate_keep_its_meaning() {
    let cell = std::cell::RefCell::new(None);
    assert!(dual_library::blocking_else_sees_the_scrutinee_borrowed(&cell));
    assert!(twoworlds::block_on(dual_library::else_sees_the_scrutinee_borrowed(&cell)));
    // The twins of an impl and of a module (each the body of a macro).
    let client = dual_library::Client::blocking_connect(1);
    assert!(client.blocking_else_sees_the_scrutinee_borrowed(&cell));
    assert!(twoworlds::block_on(client.else_sees_the_scrutinee_borrowed(&cell)));
    assert!(dual_library::probe::blocking::else_sees_the_scrutinee_borrowed(&cell));
    assert!(twoworlds::block_on(dual_library::probe::else_sees_the_scrutinee_borrowed(&cell)));
}
