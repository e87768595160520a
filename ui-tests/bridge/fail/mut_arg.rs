use twoworlds::bridge;

#[bridge]
fn fill(buffer: &mut Vec<u8>, n: u8) {
    buffer.push(n);
}

fn main() {
    let mut buffer = Vec::new();
    fill(&mut buffer, 1);
}
