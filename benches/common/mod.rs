//! Set-up shared by the benchmarks: the criterion configuration, the shared
//! tokio runtime the peers use, and the reqwest-style background-thread
//! runtime.
//!
//! Each benchmark binary uses a part of this module, so unused items are
//! expected in any one of them.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;
use std::thread;
use std::time::Duration;

use criterion::Criterion;

/// Short warm-up and measurement times so the whole suite runs in a few
/// minutes on a 2-core machine; `benches/run.sh` reports medians.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(50)
}

/// The shared multi-thread tokio runtime of the peers (one worker per core),
/// built once like an application's `#[tokio::main]` runtime.
pub(crate) static SHARED: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("shared-tokio")
        .build()
        .expect("building the shared tokio runtime")
});

/// A fresh current-thread tokio runtime, as a sync wrapper that builds one
/// per call would use.
pub(crate) fn fresh_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("building a current-thread tokio runtime")
}

/// A job sent to the background runtime.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// reqwest's `blocking` client shape: a dedicated thread runs a
/// current-thread runtime, jobs arrive over a channel and are spawned there,
/// and the caller waits for the reply on a oneshot.
pub(crate) struct BackgroundRuntime {
    /// Where callers send their jobs.
    jobs: tokio::sync::mpsc::UnboundedSender<Job>,
}

impl BackgroundRuntime {
    /// Starts the background thread and its runtime.
    fn start() -> Self {
        let (jobs, mut inbox) = tokio::sync::mpsc::unbounded_channel::<Job>();
        thread::Builder::new()
            .name("background-runtime".into())
            .spawn(move || {
                let runtime = fresh_runtime();
                runtime.block_on(async move {
                    while let Some(job) = inbox.recv().await {
                        tokio::spawn(job);
                    }
                });
            })
            .expect("spawning the background runtime thread");
        Self { jobs }
    }

    /// Runs `fut` on the background runtime and blocks until its reply.
    pub(crate) fn block_on<F>(&self, fut: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::pin(async move {
            let _ = reply.send(fut.await);
        });
        self.jobs.send(job).unwrap_or_else(|_| panic!("the background runtime thread has stopped"));
        answer.blocking_recv().expect("the background runtime dropped a job")
    }
}

/// The one background runtime of the benchmarks, started on first use.
pub(crate) static BACKGROUND: LazyLock<BackgroundRuntime> = LazyLock::new(BackgroundRuntime::start);

/// The label of our contender: `twoworlds` or `twoworlds_tokio`, after the
/// features this benchmark binary was built with.
pub(crate) const OURS: &str = if cfg!(feature = "tokio") { "twoworlds_tokio" } else { "twoworlds" };
