//! The four ways to call across the two worlds, each shown working.
//!
//! Run: `cargo run --example quickstart`

fn main() {
    // sync calls sync: a plain call.
    println!("sync calls sync   : checksum(\"plain\", [4, 5]) = {}", checksum("plain", &[4, 5]));

    // async calls async: `.await`.
    let awaited = twoworlds::block_on(async { word_length("async").await });
    println!("async calls async : word_length(\"async\").await = {awaited}");

    // sync calls async (the async → sync bridge): block on a future from plain sync code.
    let sum = twoworlds::block_on(async { 20 + 22 });
    println!("sync calls async  : block_on(async {{ 20 + 22 }}) = {sum}");

    // async calls sync (the sync → async bridge): run blocking work on the pool, awaited from async code.
    let product = twoworlds::block_on(async { twoworlds::unblock(|| 6 * 7).await });
    println!("async calls sync  : unblock(|| 6 * 7).await = {product}");

    // #[bridge] on an async fn: sync code calls its blocking twin.
    let length = blocking_word_length("twoworlds");
    println!("sync calls async  : blocking_word_length(\"twoworlds\") = {length}");

    // #[bridge] on a sync fn: async code awaits its async twin, which runs
    // the fn on the pool; the borrowed `&str` was made owned first.
    let report = twoworlds::block_on(async {
        let name = String::from("data.bin");
        checksum_async(&name, &[1, 2, 3]).await
    });
    println!("async calls sync  : checksum_async(\"data.bin\", [1, 2, 3]).await = {report}");

    // #[dual]: one async body, and a blocking twin made by rewriting it
    // (no runtime involved): both give the same answer.
    let sync_stats = blocking_word_stats("two worlds");
    let async_stats = twoworlds::block_on(word_stats("two worlds"));
    assert_eq!(sync_stats, async_stats);
    println!("one body, two APIs: blocking_word_stats(..) = word_stats(..).await = {sync_stats:?}");

    // The mistake the runtime catches: a blocking twin called from async code
    // would stall the event loop, so it panics, pointing at the caller's line
    // and saying what to do instead (caught here to print it).
    let (message, at) = caught_panic(|| {
        twoworlds::block_on(async { blocking_word_length("oops") });
    });
    println!("misuse            : blocking_word_length(..) in async code panics at {at}:");
    for sentence in message.split_inclusive(". ") {
        println!("                    {}", sentence.trim_end());
    }

    // The mistake the watchdog catches (debug mode: off by default, on with
    // `TWOWORLDS_DEBUG=1` or `watchdog::enable`): a poll of an async fn the
    // macros made that blocks its thread too long, here with a
    // `std::thread::sleep`, is reported with the fn's name.
    twoworlds::watchdog::set_reporter(|report: &twoworlds::watchdog::SlowPoll| {
        let (name, ms) = (report.name(), report.duration().as_millis());
        println!("watchdog          : `{name}` blocked its thread for {ms} ms in one poll");
    });
    let threshold = std::time::Duration::from_millis(50);
    twoworlds::watchdog::enable(twoworlds::watchdog::Config::new().slow_poll(threshold));
    let answer = twoworlds::block_on(nap_then_answer());
    // Its blocking twin is plain sync code, never polled: nothing to report.
    assert_eq!(blocking_nap_then_answer(), answer);
    twoworlds::watchdog::disable();
}

/// Answers after a nap that blocks the thread polling it: the mistake the
/// watchdog catches at run time. At compile time `#[dual]` warns about
/// `std::thread::sleep` in async code; `#[allow_blocking]` keeps this
/// example warning-free.
#[twoworlds::dual]
async fn nap_then_answer() -> u32 {
    #[allow_blocking]
    std::thread::sleep(std::time::Duration::from_millis(120));
    42
}

/// Runs `f`, which must panic, with the default panic output silenced;
/// returns the panic's message and where it was raised.
fn caught_panic(f: impl FnOnce() + std::panic::UnwindSafe) -> (String, String) {
    static LOCATION: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if let Some(at) = info.location() {
            *LOCATION.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = at.to_string();
        }
    }));
    let payload = std::panic::catch_unwind(f).expect_err("expected a panic");
    std::panic::set_hook(previous_hook);
    let message = match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => {
            payload.downcast_ref::<&str>().map_or_else(String::new, |s| (*s).to_owned())
        }
    };
    let at = LOCATION.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    (message, at)
}

/// Counts the words of `text` and their total length. Written once, async;
/// `#[dual]` adds `blocking_word_stats`, the same body made sync.
#[twoworlds::dual]
async fn word_stats(text: &str) -> (usize, usize) {
    let words = async { text.split_whitespace().count() }.await;
    let letters = async { text.chars().filter(|c| !c.is_whitespace()).count() }.await;
    (words, letters)
}

/// Counts the characters of `word`, asynchronously (the `ready` future
/// stands in for real async I/O).
#[twoworlds::bridge]
async fn word_length(word: &str) -> usize {
    std::future::ready(word.chars().count()).await
}

/// Sums `bytes` (stands in for slow, blocking work).
#[twoworlds::bridge]
fn checksum(name: &str, bytes: &[u8]) -> String {
    let sum: u32 = bytes.iter().map(|&b| u32::from(b)).sum();
    format!("{name}: {sum}")
}
