//! Runs this test binary again as a child process to execute one test alone
//! (a scenario that must exit, crash or hang on its own), with a deadline:
//! shared by `tests/shutdown.rs` and `tests/asgiref/` through `#[path]`.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Re-runs this binary to execute only `test` (its path, e.g.
/// `sync_processes::multiprocessing`) with the environment variable `marker`
/// set to `test`; returns its exit success and its output (stdout, then
/// stderr). Kills it and panics if it has not exited within `deadline`.
pub(crate) fn run_child(test: &str, marker: &str, deadline: Duration) -> (bool, String) {
    let mut child = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(marker, test)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child process");
    // Polled, not waited for: a hung child must fail the test, not hang it.
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the child process") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{test}`: the child process hung: not exited within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut output = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut output);
    }
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut output);
    }
    (status.success(), output)
}
