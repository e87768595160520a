//! `unsafe fn` keeps its `unsafe` on both twins.
use twoworlds::bridge;

/// # Safety
/// `ptr` must be valid for reads.
#[bridge]
async unsafe fn read(ptr: *const u8) -> u8 {
    unsafe { *ptr }
}

/// # Safety
/// Always safe.
#[bridge]
unsafe fn add(a: u8, b: u8) -> u8 {
    a + b
}

fn main() {
    let byte = 7u8;
    let value = unsafe { blocking_read(&raw const byte) };
    assert_eq!(value, 7);
    let sum = twoworlds::block_on(unsafe { add_async(1, 2) });
    assert_eq!(sum, 3);
}
