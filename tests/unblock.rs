//! `unblock` (sync → async): a bounded pool that grows on demand, queues the
//! rest, survives panics, cancels jobs that have not started, retires idle
//! threads and never holds up process exit.
//!
//! Every test first calls [`setup`], which caps this binary's pool at
//! [`MAX`] threads before any job runs, so "never above the maximum" holds
//! for the whole process.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Once, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use twoworlds::{block_on, max_threads, pool_stats, set_idle_timeout, set_max_threads, unblock};

/// The pool maximum in this test binary.
const MAX: usize = 8;

/// How long any wait in these tests may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_mins(1);

/// Caps the pool at [`MAX`] threads with a 1 s idle timeout, once, before any
/// test submits a job.
fn setup() {
    static SETUP: Once = Once::new();
    SETUP.call_once(|| {
        set_max_threads(NonZeroUsize::new(MAX).unwrap());
        set_idle_timeout(Duration::from_secs(1));
    });
}

/// Runs `f` on its own thread; fails the test if it has not returned before
/// the deadline (a regression to a hang fails instead of hanging the suite).
fn with_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(f()));
    result.recv_timeout(DEADLINE).expect("hung (or panicked) instead of returning")
}

/// Counts its drops.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn returns_the_value_from_a_thread_named_twoworlds_n() {
    setup();
    let name = block_on(unblock(|| thread::current().name().map(str::to_owned)));
    let name = name.expect("pool threads are named");
    let number = name.strip_prefix("twoworlds-").expect("named twoworlds-N");
    assert!(number.parse::<u64>().is_ok(), "{name}");
}

#[test]
fn ten_thousand_concurrent_calls_complete_within_the_maximum() {
    setup();
    let total = with_deadline(|| {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let futures: Vec<_> = (0..10_000_u64)
            .map(|i| {
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                unblock(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    thread::sleep(Duration::from_micros(100));
                    running.fetch_sub(1, Ordering::SeqCst);
                    i
                })
            })
            .collect();
        let total = block_on(async {
            let mut total = 0;
            for future in futures {
                total += future.await;
            }
            total
        });
        assert!(
            most.load(Ordering::SeqCst) <= MAX,
            "{} jobs ran at once",
            most.load(Ordering::SeqCst)
        );
        total
    });
    assert_eq!(total, (0..10_000).sum::<u64>());
    let stats = pool_stats();
    assert_eq!(stats.max_threads(), MAX);
    assert!(stats.peak_threads() <= MAX, "{stats:?}");
    assert!(stats.live_threads() <= MAX, "{stats:?}");
}

/// The payload of the panicking job.
#[derive(Debug, PartialEq)]
struct Payload(u32, &'static str);

#[test]
fn a_panicking_job_resumes_its_payload_and_the_thread_survives() {
    let (stdout, _) = run_child(&[("TWOWORLDS_TEST_CHILD", "panic")]);
    assert!(stdout.contains("child: the thread survived its job's panic"), "{stdout}");
}

/// Child: a job panics; the caller gets the payload, and the next job runs
/// on the same pool thread. In a process of its own the pool has that one
/// thread, idle again after the panic: a job submitted then is handed to it
/// if it lives, and only a new thread if it died.
fn a_panicking_job_in_a_fresh_pool() {
    let (tell, told) = mpsc::channel();
    let ended = std::panic::catch_unwind(|| {
        block_on(unblock(move || {
            tell.send(thread::current().id()).unwrap();
            std::panic::panic_any(Payload(7, "intact"))
        }))
    });
    let payload = ended.expect_err("the panic reaches the awaiting caller");
    assert_eq!(payload.downcast_ref::<Payload>(), Some(&Payload(7, "intact")));
    let panicked_on = told.recv().unwrap();
    assert_eq!(block_on(unblock(|| thread::current().id())), panicked_on);
    assert_eq!(pool_stats().peak_threads(), 1);
    println!("child: the thread survived its job's panic");
}

/// A future that is pending until another thread fills `value`; on its
/// second poll — after the `block_on` polling it has counted itself as
/// parked — it hands its waker to that thread.
struct ParkedProbe {
    /// Polls so far.
    polls: u32,
    /// Where the waker goes on the second poll.
    hand_over: Option<mpsc::Sender<std::task::Waker>>,
    /// Filled by the other thread before it wakes this future.
    value: Arc<std::sync::Mutex<Option<usize>>>,
}

impl Future for ParkedProbe {
    type Output = usize;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<usize> {
        self.polls += 1;
        if self.polls == 1 {
            // Be polled again right after block_on's first park bookkeeping.
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        if let Some(value) = self.value.lock().unwrap().take() {
            return std::task::Poll::Ready(value);
        }
        if let Some(hand_over) = self.hand_over.take() {
            hand_over.send(cx.waker().clone()).unwrap();
        }
        std::task::Poll::Pending
    }
}

/// Blocks on a [`ParkedProbe`]: returns the pool's blocked-thread count read
/// while this `block_on` counts as parked.
fn blocked_count_while_parked() -> usize {
    let (hand_over, waker) = mpsc::channel::<std::task::Waker>();
    let value = Arc::new(std::sync::Mutex::new(None));
    let reader_value = Arc::clone(&value);
    let reader = unblock(move || {
        let waker = waker.recv().unwrap();
        *reader_value.lock().unwrap() = Some(pool_stats().blocked_threads());
        waker.wake();
    });
    let count = block_on(ParkedProbe { polls: 0, hand_over: Some(hand_over), value });
    block_on(reader);
    count
}

#[test]
fn a_pool_thread_parked_twice_in_block_on_counts_once() {
    setup();
    // tokio → unblock → pool thread: block_on (parks; the logical call's
    // thread-sensitive executor) → thread-sensitive job, run by that parked
    // block_on on the same pool thread → block_on again (parks again) → read
    // the pool's count. No other test in this binary parks a pool thread in
    // block_on.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (outer, inner, blocked) = with_deadline(move || {
        runtime.block_on(async {
            unblock(|| {
                let outer = thread::current().id();
                block_on(async move {
                    twoworlds::unblock_thread_sensitive(move || {
                        (outer, thread::current().id(), blocked_count_while_parked())
                    })
                    .await
                })
            })
            .await
        })
    });
    assert_eq!(outer, inner, "the thread-sensitive job ran on the parked pool thread");
    assert_eq!(blocked, 1);
}

/// Occupies every pool thread until the returned sender is dropped.
fn occupy_the_pool() -> (mpsc::Sender<()>, Vec<impl Future<Output = ()>>) {
    let (release, released) = mpsc::channel::<()>();
    let released = Arc::new(std::sync::Mutex::new(released));
    let (started, starts) = mpsc::channel();
    let blockers = (0..MAX)
        .map(|_| {
            let (released, started) = (Arc::clone(&released), started.clone());
            unblock(move || {
                started.send(()).unwrap();
                // Every blocker waits until the sender is dropped.
                let _ = released.lock().unwrap().recv();
            })
        })
        .collect();
    for _ in 0..MAX {
        starts.recv_timeout(DEADLINE).expect("all blockers start");
    }
    (release, blockers)
}

#[test]
fn dropping_the_future_before_the_job_starts_removes_it() {
    setup();
    with_deadline(|| {
        let (release, blockers) = occupy_the_pool();
        let ran = Arc::new(AtomicBool::new(false));
        let drops = Arc::new(AtomicUsize::new(0));
        let job = {
            let (ran, counter) = (Arc::clone(&ran), DropCounter(Arc::clone(&drops)));
            unblock(move || {
                let _counter = counter;
                ran.store(true, Ordering::SeqCst);
            })
        };
        // Every pool thread runs a blocker: the job waits in the queue.
        drop(job);
        // The closure (and what it captured) is dropped at once, unrun.
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        drop(release);
        block_on(async {
            for blocker in blockers {
                blocker.await;
            }
        });
        // Jobs queued after it run; the cancelled one never does.
        block_on(unblock(|| ()));
        assert!(!ran.load(Ordering::SeqCst));
    });
}

#[test]
fn dropping_the_future_after_the_job_starts_lets_it_finish_and_drops_the_result() {
    setup();
    with_deadline(|| {
        let (started, starts) = mpsc::channel();
        let (go, wait) = mpsc::channel::<()>();
        let (done, finishes) = mpsc::channel();
        let drops = Arc::new(AtomicUsize::new(0));
        let result_drops = Arc::clone(&drops);
        let job = unblock(move || {
            started.send(()).unwrap();
            let _ = wait.recv();
            done.send(()).unwrap();
            DropCounter(result_drops)
        });
        starts.recv_timeout(DEADLINE).expect("the job starts");
        drop(job);
        drop(go);
        finishes.recv_timeout(DEADLINE).expect("the job runs to the end");
        let since = Instant::now();
        while drops.load(Ordering::SeqCst) == 0 {
            assert!(since.elapsed() < DEADLINE, "the result is never dropped");
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

/// Sends on the channel when dropped (at thread exit, from `ON_EXIT`).
struct Notify(mpsc::Sender<()>);

impl Drop for Notify {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

#[test]
fn idle_threads_retire_after_the_timeout() {
    setup();
    thread_local! {
        static EXIT: std::cell::RefCell<Option<Notify>> = const { std::cell::RefCell::new(None) };
    }
    let (exited, exits) = mpsc::channel();
    block_on(unblock(move || EXIT.with(|slot| *slot.borrow_mut() = Some(Notify(exited)))));
    // The thread's thread-locals are destroyed when it exits; the idle timeout
    // here is 1 s, the deadline a minute (other tests may keep it busy).
    exits.recv_timeout(DEADLINE).expect("the idle pool thread exits");
}

#[test]
fn the_maximum_is_configurable() {
    setup();
    assert_eq!(max_threads(), MAX);
    assert_eq!(twoworlds::MAX_THREADS_ENV, "TWOWORLDS_MAX_THREADS");
    assert_eq!(twoworlds::DEFAULT_MAX_THREADS, 512);
}

/// What the child process runs, chosen by `TWOWORLDS_TEST_CHILD`.
#[test]
fn child_process() {
    match std::env::var("TWOWORLDS_TEST_CHILD").as_deref() {
        Ok("exit") => {
            // Idle threads, busy threads and queued jobs at exit.
            block_on(unblock(|| ()));
            let pending: Vec<_> =
                (0..3).map(|_| unblock(|| thread::sleep(Duration::from_hours(1)))).collect();
            std::mem::forget(pending);
            println!("child: leaving with jobs pending");
        }
        Ok("env") => println!("child: max_threads={}", max_threads()),
        Ok("lower") => lower_the_maximum_under_idle_threads(),
        Ok("panic") => a_panicking_job_in_a_fresh_pool(),
        _ => {}
    }
}

/// Child: four idle threads, the maximum lowered to one, then a job. The
/// idle thread woken for the job is one too many and exits; it must pass the
/// wake-up on, or the job waits for an idle timeout of an hour.
fn lower_the_maximum_under_idle_threads() {
    set_idle_timeout(Duration::from_hours(1));
    let barrier = Arc::new(std::sync::Barrier::new(4));
    let jobs: Vec<_> = (0..4)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            unblock(move || {
                barrier.wait();
            })
        })
        .collect();
    block_on(async {
        for job in jobs {
            job.await;
        }
    });
    while pool_stats().idle_threads() < 4 {
        thread::yield_now();
    }
    set_max_threads(NonZeroUsize::new(1).unwrap());
    println!("child: job returned {}", block_on(unblock(|| 5)));
}

/// Runs this test binary's `child_process` test in a new process with
/// `env`, failing if it does not exit before the deadline; returns stdout and
/// stderr.
fn run_child(env: &[(&str, &str)]) -> (String, String) {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", "child_process", "--nocapture", "--test-threads", "1"]);
    command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let since = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if since.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("the child process hung (did not finish before the deadline)");
        }
        thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (text(output.stdout), text(output.stderr))
}

#[test]
fn process_exit_does_not_wait_for_pending_jobs_or_idle_threads() {
    let (stdout, _) = run_child(&[("TWOWORLDS_TEST_CHILD", "exit")]);
    assert!(stdout.contains("child: leaving with jobs pending"), "{stdout}");
}

#[test]
fn lowering_the_maximum_strands_no_queued_job() {
    let (stdout, _) = run_child(&[("TWOWORLDS_TEST_CHILD", "lower")]);
    assert!(stdout.contains("child: job returned 5"), "{stdout}");
}

#[test]
fn the_maximum_comes_from_the_environment() {
    let (stdout, _) = run_child(&[("TWOWORLDS_TEST_CHILD", "env"), ("TWOWORLDS_MAX_THREADS", "3")]);
    assert!(stdout.contains("child: max_threads=3"), "{stdout}");
    let (stdout, stderr) =
        run_child(&[("TWOWORLDS_TEST_CHILD", "env"), ("TWOWORLDS_MAX_THREADS", "many")]);
    assert!(stdout.contains("child: max_threads=512"), "{stdout}");
    assert!(stderr.contains("ignoring TWOWORLDS_MAX_THREADS=\"many\""), "{stderr}");
}
