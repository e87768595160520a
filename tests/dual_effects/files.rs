//! `tokio::fs` under `tokio_to_std`: the blocking twin does the same file
//! work through `std::fs`, with the same results and effects; a tokio
//! `File`'s methods (`metadata().await`) become the std `File`'s.

use crate::{Log, agree};
use std::path::Path;
use twoworlds::dual;

/// Writes, appends, reads back and measures a file.
#[dual(tokio_to_std)]
async fn round_trip(log: &Log, path: &Path) -> std::io::Result<(String, u64)> {
    use tokio::io::AsyncWriteExt;
    tokio::fs::write(path, b"one").await?;
    log.push("wrote");
    let mut file = tokio::fs::OpenOptions::new().append(true).open(path).await?;
    file.write_all(b" two").await?;
    file.flush().await?;
    log.push("appended");
    let text = tokio::fs::read_to_string(path).await?;
    let len = tokio::fs::File::open(path).await?.metadata().await?.len();
    tokio::fs::remove_file(path).await?;
    log.push(format!("read {len} bytes"));
    Ok((text, len))
}

#[test]
fn tokio_fs_under_tokio_to_std_does_the_same_file_work() {
    let dir = std::env::temp_dir().join(format!("twoworlds-effects-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sync_path, async_path) = (dir.join("blocking.txt"), dir.join("async.txt"));
    let effects = agree(
        |log| blocking_round_trip(log, &sync_path).map_err(|e| e.to_string()),
        |log| async move { round_trip(&log, &async_path).await.map_err(|e| e.to_string()) },
    );
    assert_eq!(effects, ["wrote", "appended", "read 7 bytes"]);
    let _ = std::fs::remove_dir(&dir);
}
