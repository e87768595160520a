//! A throwaway `redis-server` for examples and tests: started on a free
//! loopback port with no persistence, ready when [`RedisServer::start`]
//! returns, killed on drop.
//!
//! Shared by `examples/redis_bridge.rs`, `examples/resp_dual.rs` and
//! `tests/live_redis.rs` through `#[path]` (examples can't depend on a test
//! helper crate, and this is too small for a crate of its own).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long a fresh server may take to answer `PING`.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many ports to try when another process takes the one picked.
const ATTEMPTS: u32 = 3;

/// A running `redis-server` child process, killed when dropped.
pub(crate) struct RedisServer {
    /// The child process; `None` once killed.
    child: Option<Child>,
    /// Where it listens.
    address: SocketAddr,
}

impl RedisServer {
    /// Starts `redis-server` (or the binary named by `REDIS_SERVER`) on a
    /// free loopback port and waits until it answers `PING`.
    ///
    /// # Errors
    /// A message saying what failed: the binary is missing, it exited, or it
    /// did not answer within [`READY_TIMEOUT`].
    pub(crate) fn start() -> Result<Self, String> {
        let mut last_error = String::new();
        for _ in 0..ATTEMPTS {
            match Self::start_once() {
                Ok(server) => return Ok(server),
                Err(error) => last_error = error,
            }
        }
        Err(last_error)
    }

    /// One attempt of [`start`](Self::start) on a port picked just now.
    fn start_once() -> Result<Self, String> {
        let binary = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".to_owned());
        // Binding port 0 asks the OS for a free port; the listener is closed
        // again so redis can take it (a small race, hence the retries).
        let address = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?;
        let child = spawn(&binary, address.port())?;
        let mut server = Self { child: Some(child), address };
        server.wait_until_ready()?;
        Ok(server)
    }

    /// Polls the server with `PING` until it answers `+PONG`, the child
    /// exits, or [`READY_TIMEOUT`] passes.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if ping(self.address) {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                let hint =
                    if status.code() == Some(127) { " (is redis-server installed?)" } else { "" };
                return Err(format!(
                    "redis-server on {} exited early: {status}{hint}",
                    self.address
                ));
            }
            if Instant::now() > deadline {
                return Err(format!("redis-server on {} did not answer PING", self.address));
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's address.
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }

    /// The server's URL for the `redis` crate, `redis://127.0.0.1:<port>/`.
    pub(crate) fn url(&self) -> String {
        format!("redis://{}/", self.address)
    }

    /// Kills the server now (SIGKILL: no goodbye to connected clients) and
    /// waits for it to be gone.
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `binary` on `port` with no persistence. Under `setpriv` (util-linux)
/// when it is there, so the server also dies with this process when a test is
/// abandoned at its deadline and `Drop` never runs. (The signal comes when
/// the *thread* that started the server ends: keep a server on that thread.)
fn spawn(binary: &str, port: u16) -> Result<Child, String> {
    let port = port.to_string();
    let args = ["--port", &port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    let run = |program: &str, prefix: &[&str]| {
        Command::new(program)
            .args(prefix)
            .arg(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    };
    match run("setpriv", &["--pdeathsig", "KILL", "--"]) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => run(binary, &[]),
        spawned => spawned,
    }
    .map_err(|e| format!("cannot run {binary:?}: {e} (install the `redis-server` package)"))
}

/// Whether a server on `address` answers `PING` with `+PONG` within a second.
fn ping(address: SocketAddr) -> bool {
    let timeout = Duration::from_secs(1);
    let Ok(mut stream) = TcpStream::connect_timeout(&address, timeout) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let mut reply = [0; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG\r\n"
}
