//! `#[bridge]`: every form of twin, called from the other world, with its
//! value checked.
#![allow(
    clippy::unused_async,
    clippy::needless_lifetimes,
    clippy::needless_pass_by_value,
    clippy::ptr_arg,
    reason = "the bridged fns have these shapes on purpose: each exercises one argument form"
)]

mod deadline;

use std::path::Path;

use twoworlds::bridge;

// ---- free functions -------------------------------------------------------

/// Doubles `n` asynchronously.
#[bridge]
async fn double(n: u32) -> u32 {
    tokio::task::yield_now().await;
    n * 2
}

/// Counts the bytes of a borrowed string, generic over a lifetime.
#[bridge]
async fn count<'a>(text: &'a str, extra: impl AsRef<str>) -> usize {
    text.len() + extra.as_ref().len()
}

/// Uses a `!Send` argument: fine for a blocking twin.
#[bridge]
async fn not_send(value: std::rc::Rc<u8>) -> u8 {
    *value
}

/// A generic async fn with bounds and `?` in its body.
#[bridge(blocking = parse_now)]
pub(crate) async fn parse<T: std::str::FromStr>(text: &str) -> Result<T, T::Err> {
    let value = text.trim().parse::<T>()?;
    Ok(value)
}

/// Sync, with every kind of argument the async twin converts.
#[bridge]
fn describe(
    name: &str,
    bytes: &[u8],
    path: &Path,
    list: &Vec<u8>,
    owned: String,
    (a, b): (u8, u8),
) -> String {
    format!("{name}:{}:{}:{}:{owned}:{}", bytes.len(), path.display(), list.len(), a + b)
}

/// Sync, generic, with an `impl Trait` argument.
#[bridge(async_name = render_later)]
fn render<T: std::fmt::Display>(value: T, suffix: impl std::fmt::Display) -> String {
    format!("{value}{suffix}")
}

/// Sync and fallible.
#[bridge]
fn checked_div(a: i32, b: i32) -> Result<i32, String> {
    let quotient = a.checked_div(b).ok_or_else(|| "division by zero".to_owned())?;
    Ok(quotient)
}

/// Sync and panicking.
#[bridge]
fn explode(message: &str) -> u8 {
    panic!("{}", message.to_owned());
}

#[test]
fn free_blocking_twins_return_the_async_result() {
    deadline::with_deadline("bridge test", || {
        assert_eq!(blocking_double(21), 42);
        let owned = String::from("hello");
        assert_eq!(blocking_count(&owned, "!!"), 7);
        assert_eq!(blocking_not_send(std::rc::Rc::new(9)), 9);
        assert_eq!(parse_now::<u16>(" 77 "), Ok(77));
        assert!(parse_now::<u16>("x").is_err());
    });
}

#[test]
fn free_async_twins_return_the_sync_result() {
    deadline::with_deadline("bridge test", || {
        deadline::tokio_runtime().block_on(async {
            let name = String::from("n");
            let list = vec![1, 2, 3];
            let described =
                describe_async(&name, b"xy", Path::new("/p"), &list, "o".into(), (1, 2)).await;
            assert_eq!(described, "n:2:/p:3:o:3");
            assert_eq!(render_later(4, "px").await, "4px");
            assert_eq!(checked_div_async(7, 2).await, Ok(3));
            assert_eq!(checked_div_async(7, 0).await, Err("division by zero".to_owned()));
        });
    });
}

#[test]
fn async_twin_future_is_send_static_even_from_a_borrow() {
    deadline::with_deadline("bridge test", || {
        deadline::tokio_runtime().block_on(async {
            let name = String::from("spawned");
            let list = vec![9];
            let future = describe_async(&name, &[1], Path::new("p"), &list, String::new(), (0, 0));
            drop(name);
            drop(list);
            let out = tokio::spawn(future).await.expect("task");
            assert_eq!(out, "spawned:1:p:1::0");
        });
    });
}

#[test]
fn panics_propagate_through_the_async_twin_with_their_payload() {
    deadline::with_deadline("bridge test", || {
        deadline::tokio_runtime().block_on(async {
            let outcome = tokio::spawn(explode_async("boom 17")).await;
            let payload = outcome.expect_err("must panic").into_panic();
            let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
            assert_eq!(message, "boom 17");
        });
    });
}

/// Sync, returning `impl Trait`.
#[bridge]
fn shown(n: u8) -> impl std::fmt::Display + Send + 'static {
    n
}

/// Async, generic and `impl Trait` together (explicit turbofish + APIT).
#[bridge]
async fn both<T: std::fmt::Display>(a: T, b: impl std::fmt::Display) -> String {
    format!("{a}{b}")
}

/// Sync with a const generic.
#[bridge]
fn array_len<const N: usize>(x: [u8; N]) -> usize {
    x.len()
}

/// Sync, borrowing a `Clone` type with a lifetime parameter.
#[bridge]
fn cow_len(x: &std::borrow::Cow<'static, str>) -> usize {
    x.len()
}

/// A generic type with bridged methods.
struct Generic<T>(T);

#[bridge]
impl<T: Clone + Send + 'static> Generic<T> {
    /// Sync constructor in a generic impl.
    fn make(value: T) -> Self {
        Generic(value)
    }

    /// Async getter in a generic impl.
    async fn get(&self) -> T {
        self.0.clone()
    }
}

#[test]
fn edge_forms_work() {
    deadline::with_deadline("bridge test", || {
        assert_eq!(twoworlds::block_on(shown_async(3)).to_string(), "3");
        assert_eq!(blocking_both(1, "x"), "1x");
        assert_eq!(twoworlds::block_on(array_len_async([1, 2])), 2);
        let cow = std::borrow::Cow::Borrowed("ab");
        assert_eq!(twoworlds::block_on(cow_len_async(&cow)), 2);
        let generic = twoworlds::block_on(Generic::make_async(5u8));
        assert_eq!(generic.blocking_get(), 5);
    });
}

/// Async with pattern, `mut` and `_` arguments.
#[bridge]
async fn patterns((a, b): (u8, u8), mut total: u8, _: &str) -> u8 {
    total += a + b;
    total
}

/// A struct pattern argument.
struct Pair {
    /// Left.
    left: u8,
    /// Right.
    right: u8,
}

/// Sync with a struct pattern argument.
#[bridge]
fn pair_sum(Pair { left, right }: Pair) -> u8 {
    left + right
}

#[test]
fn pattern_arguments_are_bound_to_fresh_names() {
    deadline::with_deadline("bridge test", || {
        assert_eq!(blocking_patterns((1, 2), 3, "ignored"), 6);
        assert_eq!(twoworlds::block_on(pair_sum_async(Pair { left: 4, right: 5 })), 9);
    });
}
