//! `tokio_to_std` and `replace(..)` give a blocking twin without tokio in it,
//! warning-free.
#![deny(warnings)]

mod sync_fs {
    pub fn read_len(path: &std::path::Path) -> std::io::Result<usize> {
        std::fs::read(path).map(|bytes| bytes.len())
    }
}

mod async_fs {
    pub async fn read_len(path: &std::path::Path) -> std::io::Result<usize> {
        tokio::fs::read(path).await.map(|bytes| bytes.len())
    }
}

/// Reads with [`tokio::fs::read_to_string`] and sleeps with tokio::time::sleep.
#[twoworlds::dual(tokio_to_std, replace(async_fs => sync_fs))]
async fn load(path: &std::path::Path) -> std::io::Result<(String, usize)> {
    use tokio::io::AsyncReadExt;
    tokio::time::sleep(tokio::time::Duration::from_millis(1)).await;
    let text = tokio::fs::read_to_string(path).await?;
    let mut again = String::new();
    tokio::io::BufReader::new(text.as_bytes()).read_to_string(&mut again).await?;
    let len = async_fs::read_len(path).await?;
    Ok((again, len))
}

fn main() {
    let path = std::env::temp_dir().join(format!("twoworlds-ui-replace-{}", std::process::id()));
    std::fs::write(&path, "hello").unwrap();
    assert_eq!(blocking_load(&path).unwrap(), ("hello".to_owned(), 5));
    std::fs::remove_file(&path).unwrap();
}
