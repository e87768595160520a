use twoworlds::bridge;

#[bridge]
enum Mode {
    Fast,
}

fn main() {
    let _ = Mode::Fast;
}
