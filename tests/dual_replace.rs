//! Path replacement in `#[dual]` blocking twins, end to end: the
//! `tokio_to_std` preset (fs, time, io traits, net) and `replace(..)` rules.
//!
//! The blocking twins run on plain threads with no tokio runtime anywhere:
//! tokio's fs, timers and sockets panic there ("no reactor running"), so a
//! twin that returns proves that its tokio paths became std ones. The async
//! originals run on a tokio runtime and must give the same values.

mod deadline;

use std::path::{Path, PathBuf};

/// A fresh file in the temp dir with `contents`, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path = std::env::temp_dir()
            .join(format!("twoworlds-dual-replace-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("write temp file");
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `future` on a fresh current-thread tokio runtime.
fn on_tokio<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// Runs `f` on a new plain thread (no tokio context can leak in) under the
/// suite's deadline, and returns its result.
fn on_plain_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    deadline::with_deadline("blocking twin", f)
}

/// Reads a file, counts its lines, sleeps a little, and says how long the
/// file is with `tokio::fs::metadata`.
#[twoworlds::dual(tokio_to_std)]
async fn summarize(path: PathBuf) -> std::io::Result<(usize, u64, String)> {
    use tokio::io::AsyncBufReadExt;
    tokio::time::sleep(tokio::time::Duration::from_millis(1)).await;
    let text = tokio::fs::read_to_string(&path).await?;
    let len = tokio::fs::metadata(&path).await?.len();
    let file = tokio::io::BufReader::new(text.as_bytes());
    let mut lines = Vec::new();
    let mut reader = file;
    let mut line = String::new();
    while reader.read_line(&mut line).await? > 0 {
        lines.push(line.trim_end().to_owned());
        line.clear();
    }
    Ok((lines.len(), len, lines.join("|")))
}

#[test]
fn fs_time_and_buffered_io_become_std() {
    let file = TempFile::new("summarize", "alpha\nbeta\ngamma\n");
    let path = file.0.clone();
    let blocking = on_plain_thread(move || blocking_summarize(path).unwrap());
    assert_eq!(blocking, (3, 17, "alpha|beta|gamma".to_owned()));
    let asynchronous = on_tokio(summarize(file.0.clone())).unwrap();
    assert_eq!(asynchronous, blocking);
}

#[test]
fn fs_errors_are_the_same_io_errors() {
    let missing = std::env::temp_dir().join("twoworlds-dual-replace-does-not-exist");
    let blocking = on_plain_thread({
        let missing = missing.clone();
        move || blocking_summarize(missing).unwrap_err().kind()
    });
    assert_eq!(blocking, std::io::ErrorKind::NotFound);
    assert_eq!(on_tokio(summarize(missing)).unwrap_err().kind(), blocking);
}

/// Writes, copies, renames and removes files through `tokio::fs` (with a
/// `use tokio::fs;` so the calls go through the module's name).
#[twoworlds::dual(tokio_to_std)]
async fn shuffle(dir: PathBuf) -> std::io::Result<(bool, String)> {
    use tokio::fs;
    let first = dir.join("first.txt");
    let second = dir.join("second.txt");
    fs::create_dir_all(&dir).await?;
    fs::write(&first, b"payload").await?;
    fs::copy(&first, &second).await?;
    fs::remove_file(&first).await?;
    let still_there = fs::try_exists(&first).await?;
    let text = fs::read_to_string(&second).await?;
    fs::remove_dir_all(&dir).await?;
    Ok((still_there, text))
}

#[test]
fn module_aliases_are_followed() {
    let base = std::env::temp_dir().join(format!("twoworlds-dual-shuffle-{}", std::process::id()));
    let dir = base.join("blocking");
    let blocking = on_plain_thread(move || blocking_shuffle(dir).unwrap());
    assert_eq!(blocking, (false, "payload".to_owned()));
    assert_eq!(on_tokio(shuffle(base.join("async"))).unwrap(), blocking);
    let _ = std::fs::remove_dir_all(&base);
}

/// Sends one message over loopback TCP with `tokio::net` and the io traits.
#[twoworlds::dual(tokio_to_std)]
async fn send_once(message: Vec<u8>) -> std::io::Result<Vec<u8>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let mut client = tokio::net::TcpStream::connect(address).await?;
    let (mut server, _) = listener.accept().await?;
    client.write_all(&message).await?;
    client.flush().await?;
    let mut received = vec![0; message.len()];
    server.read_exact(&mut received).await?;
    Ok(received)
}

#[test]
fn net_types_become_std() {
    let blocking = on_plain_thread(|| blocking_send_once(b"ping".to_vec()).unwrap());
    assert_eq!(blocking, b"ping");
    let asynchronous =
        deadline::with_deadline("async original", || on_tokio(send_once(b"ping".to_vec())));
    assert_eq!(asynchronous.unwrap(), blocking);
}

/// Sync and async versions of the same helper, for a user rule.
mod helpers {
    pub(crate) mod asynchronous {
        #[allow(clippy::unused_async, reason = "the async half of a sync/async pair")]
        pub(crate) async fn checksum(bytes: &[u8]) -> u32 {
            bytes.iter().map(|b| u32::from(*b)).sum()
        }
    }
    pub(crate) mod blocking {
        pub(crate) fn checksum(bytes: &[u8]) -> u32 {
            bytes.iter().map(|b| u32::from(*b)).sum()
        }
    }
}

/// Checks the sum of a file's bytes with the helper of its world.
#[twoworlds::dual(tokio_to_std, replace(helpers::asynchronous => helpers::blocking))]
async fn file_checksum(path: &Path) -> std::io::Result<u32> {
    let bytes = tokio::fs::read(path).await?;
    Ok(helpers::asynchronous::checksum(&bytes).await)
}

#[test]
fn user_rules_pick_the_sync_helper() {
    let file = TempFile::new("checksum", "abc");
    let path = file.0.clone();
    let blocking = on_plain_thread(move || blocking_file_checksum(&path).unwrap());
    assert_eq!(blocking, 97 + 98 + 99);
    assert_eq!(on_tokio(file_checksum(&file.0)).unwrap(), blocking);
}

/// A user rule overrides the preset for the same path.
mod my_time {
    use std::sync::atomic::{AtomicU32, Ordering};

    /// How often [`sleep`] ran.
    pub(crate) static SLEEPS: AtomicU32 = AtomicU32::new(0);

    /// Counts instead of sleeping.
    pub(crate) fn sleep(_duration: std::time::Duration) {
        SLEEPS.fetch_add(1, Ordering::SeqCst);
    }
}

#[twoworlds::dual(tokio_to_std, replace(tokio::time::sleep => my_time::sleep))]
async fn nap_twice() -> u8 {
    tokio::time::sleep(tokio::time::Duration::from_millis(1)).await;
    tokio::time::sleep(tokio::time::Duration::from_millis(1)).await;
    2
}

#[test]
fn user_rules_win_over_the_preset() {
    let before = my_time::SLEEPS.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(on_plain_thread(blocking_nap_twice), 2);
    let after = my_time::SLEEPS.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(after - before, 2);
    assert_eq!(on_tokio(nap_twice()), 2);
}
