//! The competitor of the *loaded* mode: one busy thread per core, in a child
//! process (so its CPU time is not counted as the benchmark's).

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::thread;

use super::COMPETITOR;

/// One busy thread per core, in a child process, for as long as it lives.
pub(super) struct Competitor(Child);

impl Competitor {
    /// Starts the child and waits until its threads run.
    pub(super) fn start() -> Self {
        let exe = std::env::current_exe().expect("path of this benchmark binary");
        let mut child = Command::new(exe)
            .env(COMPETITOR, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the competitor process");
        let mut ready = String::new();
        let stdout = child.stdout.take().expect("the competitor's piped stdout");
        BufReader::new(stdout).read_line(&mut ready).expect("the competitor's ready line");
        Competitor(child)
    }
}

impl Drop for Competitor {
    fn drop(&mut self) {
        // Closing its stdin ends the child.
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// The competitor process: one thread per core computing forever; exits
/// when its stdin closes (also when the parent dies).
pub(super) fn competitor_main() -> ! {
    let cores = thread::available_parallelism().map_or(1, std::num::NonZero::get);
    for _ in 0..cores {
        thread::spawn(|| {
            let mut x = 1_u64;
            loop {
                x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
            }
        });
    }
    println!("ready");
    let _ = std::io::stdout().flush();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    std::process::exit(0)
}
