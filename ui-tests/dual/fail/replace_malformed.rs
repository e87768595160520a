//! Each malformed `replace(..)` entry is reported, with the expected form.
#[twoworlds::dual(replace(tokio::fs -> std::fs, tokio::time::sleep => 3, tokio::io::Buf<u8> => std::io::Buf))]
async fn load() -> u8 {
    1
}

fn main() {}
