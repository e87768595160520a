//! Differential tests of `#[dual]` against maybe-async: its
//! `#[maybe_async::must_be_sync]` output (what its `is_sync` mode produces)
//! is the oracle for our blocking twin.
//!
//! Each case is one set of items written once, stamped by [`differential!`]
//! into `ours` (a `#[dual] mod`) and `oracle` (every item under
//! `must_be_sync`). Each set has a `pub async fn check() -> T`; the test
//! asserts that `ours::blocking::check()`, `oracle::check()` and
//! `block_on(ours::check())` are the same value. Types go in `types { .. }`
//! and are stamped into both modules as they are (maybe-async only takes
//! fns, impls and traits).
//!
//! maybe-async cannot remove an `.await` inside a macro call (`format!`,
//! `vec!`, `assert_eq!`): its sync version does not compile. Ours handles
//! those, so they are tested against hand-written expectations at the end
//! instead of against the oracle.
//!
//! Where we differ from maybe-async on purpose (an `async` block with a
//! `return` or a `?`: maybe-async turns it into a plain block whose `return`
//! leaves the whole fn, we keep the block's own meaning), the cases at the
//! end pin both behaviours.
#![allow(clippy::unused_async, clippy::needless_return, clippy::redundant_async_block)]

/// Stamps one case: `name { shared { items } code { items } }`.
macro_rules! differential {
    ($name:ident { types { $($types:item)* } $($code:item)* }) => {
        differential!(@case $name [$($types)*] $($code)*);
    };
    ($name:ident { $($code:item)* }) => {
        differential!(@case $name [] $($code)*);
    };
    (@case $name:ident [$($types:item)*] $($code:item)*) => {
        mod $name {
            #![allow(dead_code, unused_imports, unreachable_pub, clippy::all, clippy::pedantic)]

            #[twoworlds::dual]
            pub mod ours {
                $($types)*
                $($code)*
            }

            pub mod oracle {
                $($types)*
                $(#[maybe_async::must_be_sync] $code)*
            }

            /// Each module has its own copy of the types, so values are
            /// compared through their `Debug` text.
            #[test]
            fn blocking_twin_agrees_with_maybe_async() {
                let expected = format!("{:?}", oracle::check());
                assert_eq!(format!("{:?}", ours::blocking::check()), expected, "blocking twin");
                let original = twoworlds::block_on(ours::check());
                assert_eq!(format!("{original:?}"), expected, "async original");
            }
        }
    };
}

differential!(straight_line {
    pub async fn check() -> u32 {
        let a = 20;
        let b = async { a + 1 }.await;
        b * 2
    }
});

differential!(for_loop_with_awaits {
    async fn square(n: u64) -> u64 {
        n * n
    }
    pub async fn check() -> u64 {
        let mut total = 0;
        for n in 0..10 {
            total += square(n).await;
        }
        total
    }
});

differential!(while_loop_and_break_value {
    async fn step(n: u32) -> u32 {
        if n % 2 == 0 { n / 2 } else { 3 * n + 1 }
    }
    pub async fn check() -> (u32, u32) {
        let mut n = 27;
        let mut steps = 0;
        while n != 1 {
            n = step(n).await;
            steps += 1;
        }
        let first_big = loop {
            n = step(n + 6).await;
            if n > 10 {
                break n;
            }
        };
        (steps, first_big)
    }
});

differential!(early_return {
    async fn find(haystack: &[i32], needle: i32) -> Option<usize> {
        for (index, value) in haystack.iter().enumerate() {
            if *value == needle {
                return Some(index);
            }
        }
        None
    }
    pub async fn check() -> (Option<usize>, Option<usize>) {
        let data = [4, 8, 15, 16, 23, 42];
        (find(&data, 16).await, find(&data, 7).await)
    }
});

differential!(question_mark {
    async fn parse(text: &str) -> Result<i64, std::num::ParseIntError> {
        let n: i64 = text.trim().parse()?;
        Ok(n * 2)
    }
    async fn sum(texts: &[&str]) -> Result<i64, std::num::ParseIntError> {
        let mut total = 0;
        for text in texts {
            total += parse(text).await?;
        }
        Ok(total)
    }
    pub async fn check() -> (Result<i64, String>, Result<i64, String>) {
        let good = sum(&["1", " 2", "3 "]).await.map_err(|e| e.to_string());
        let bad = sum(&["1", "x"]).await.map_err(|e| e.to_string());
        (good, bad)
    }
});

differential!(option_question_mark {
    async fn first_even_half(values: &[u32]) -> Option<u32> {
        let even = values.iter().find(|v| *v % 2 == 0)?;
        Some(even / 2)
    }
    pub async fn check() -> (Option<u32>, Option<u32>) {
        (first_even_half(&[3, 5, 8]).await, first_even_half(&[1, 3]).await)
    }
});

differential!(match_on_awaited {
    async fn classify(n: i32) -> &'static str {
        match n {
            i32::MIN..=-1 => "negative",
            0 => "zero",
            1..=9 => "small",
            _ => "big",
        }
    }
    pub async fn check() -> Vec<&'static str> {
        let mut out = Vec::new();
        for n in [-5, 0, 3, 100] {
            out.push(match classify(n).await {
                "zero" => "nothing",
                other => other,
            });
        }
        out
    }
});

differential!(match_guards_and_bindings {
    async fn describe(pair: (i32, i32)) -> String {
        match pair {
            (x, y) if x == y => format!("same {x}"),
            (x, 0) | (0, x) => format!("axis {x}"),
            (x, y) => format!("{}", x + y),
        }
    }
    pub async fn check() -> Vec<String> {
        let mut out = Vec::new();
        for pair in [(2, 2), (5, 0), (0, 7), (1, 2)] {
            out.push(describe(pair).await);
        }
        out
    }
});

differential!(closures_over_results {
    async fn base() -> i32 {
        10
    }
    pub async fn check() -> Vec<i32> {
        let offset = base().await;
        let add = |x: i32| x + offset;
        let values: Vec<i32> = (1..=4).map(add).filter(|v| v % 2 == 0).collect();
        values
    }
});

differential!(closure_capturing_mutable_state {
    async fn limit() -> usize {
        3
    }
    pub async fn check() -> Vec<usize> {
        let mut seen = Vec::new();
        let max = limit().await;
        let mut push = |n: usize| {
            if seen.len() < max {
                seen.push(n);
            }
        };
        for n in 0..10 {
            push(n * n);
        }
        seen
    }
});

differential!(generics_with_bounds {
    async fn largest<T: PartialOrd + Copy>(items: &[T]) -> Option<T> {
        let mut best: Option<T> = None;
        for item in items {
            if best.is_none_or(|b| *item > b) {
                best = Some(*item);
            }
        }
        best
    }
    pub async fn check() -> (Option<i32>, Option<f64>, Option<char>) {
        (largest(&[3, 9, 2]).await, largest(&[1.5, 0.5]).await, largest::<char>(&[]).await)
    }
});

differential!(generics_with_where_clause {
    async fn join_all<I>(items: I, separator: &str) -> String
    where
        I: IntoIterator,
        I::Item: std::fmt::Display,
    {
        let parts: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
        parts.join(separator)
    }
    pub async fn check() -> (String, String) {
        (join_all(vec![1, 2, 3], "-").await, join_all(["a", "b"], ", ").await)
    }
});

differential!(sync_helper_beside_async {
    fn fib_sync(n: u64) -> u64 {
        if n < 2 { n } else { fib_sync(n - 1) + fib_sync(n - 2) }
    }
    async fn fib(n: u64) -> u64 {
        let mut pair = (0, 1);
        for _ in 0..n {
            pair = (pair.1, pair.0 + pair.1);
        }
        pair.0
    }
    pub async fn check() -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for n in [0, 1, 2, 10, 20] {
            out.push((fib(n).await, fib_sync(n)));
        }
        out
    }
});

differential!(inherent_impl {
    types {
        pub struct Counter {
            pub count: u32,
        }
    }
    impl Counter {
        pub async fn bump(&mut self, by: u32) -> u32 {
            self.count += by;
            self.count
        }
        pub async fn bump_twice(&mut self) -> u32 {
            self.bump(1).await;
            self.bump(2).await
        }
    }
    pub async fn check() -> (u32, u32) {
        let mut counter = Counter { count: 0 };
        let first = counter.bump_twice().await;
        let second = counter.bump(10).await;
        (first, second)
    }
});

differential!(impl_with_constructor_and_self_calls {
    types {
        #[derive(Debug, PartialEq)]
        pub struct Account {
            pub balance: i64,
            pub log: Vec<String>,
        }
    }
    impl Account {
        pub async fn open(initial: i64) -> Self {
            let mut account = Self { balance: 0, log: Vec::new() };
            account.deposit(initial).await;
            account
        }
        pub async fn deposit(&mut self, amount: i64) {
            self.balance += amount;
            self.log.push(format!("+{amount}"));
        }
        pub async fn withdraw(&mut self, amount: i64) -> Result<i64, String> {
            if amount > self.balance {
                return Err(format!("insufficient: {}", self.balance));
            }
            self.balance -= amount;
            self.log.push(format!("-{amount}"));
            Ok(self.balance)
        }
    }
    pub async fn check() -> (Result<i64, String>, Result<i64, String>, Account) {
        let mut account = Account::open(100).await;
        let ok = account.withdraw(30).await;
        let err = account.withdraw(500).await;
        (ok, err, account)
    }
});

differential!(trait_and_impl {
    types {
        pub struct Memory(pub Vec<u8>);
    }
    pub trait Source {
        async fn fetch(&self, index: usize) -> Option<u8>;
        async fn total(&self) -> u32;
    }
    impl Source for Memory {
        async fn fetch(&self, index: usize) -> Option<u8> {
            self.0.get(index).copied()
        }
        async fn total(&self) -> u32 {
            let mut sum = 0;
            let mut index = 0;
            while let Some(byte) = self.fetch(index).await {
                sum += u32::from(byte);
                index += 1;
            }
            sum
        }
    }
    pub async fn check() -> (Option<u8>, Option<u8>, u32) {
        let memory = Memory(vec![1, 2, 3, 250]);
        (memory.fetch(0).await, memory.fetch(9).await, memory.total().await)
    }
});

differential!(generic_over_a_trait {
    types {
        pub struct Doubler;
        pub struct Adder(pub i32);
    }
    pub trait Op {
        async fn apply(&self, x: i32) -> i32;
    }
    impl Op for Doubler {
        async fn apply(&self, x: i32) -> i32 {
            x * 2
        }
    }
    impl Op for Adder {
        async fn apply(&self, x: i32) -> i32 {
            x + self.0
        }
    }
    async fn run<O: Op>(op: &O, inputs: &[i32]) -> Vec<i32> {
        let mut out = Vec::new();
        for x in inputs {
            out.push(op.apply(*x).await);
        }
        out
    }
    pub async fn check() -> (Vec<i32>, Vec<i32>) {
        (run(&Doubler, &[1, 2, 3]).await, run(&Adder(5), &[1, 2, 3]).await)
    }
});

differential!(shadowing_and_blocks {
    async fn half(n: i32) -> i32 {
        n / 2
    }
    pub async fn check() -> (i32, i32) {
        let x = 40;
        let x = half(x).await;
        let y = {
            let x = half(x).await;
            x + 1
        };
        (x, y)
    }
});

differential!(if_let_chains_of_awaits {
    async fn lookup(key: &str) -> Option<u32> {
        match key {
            "a" => Some(1),
            "b" => Some(2),
            _ => None,
        }
    }
    pub async fn check() -> Vec<u32> {
        let mut out = Vec::new();
        for key in ["a", "x", "b"] {
            if let Some(v) = lookup(key).await {
                out.push(v * 10);
            } else {
                out.push(0);
            }
        }
        out
    }
});

differential!(let_else {
    async fn parse_pair(text: &str) -> Option<(i32, i32)> {
        let Some((a, b)) = text.split_once(',') else {
            return None;
        };
        let (Ok(a), Ok(b)) = (a.parse(), b.parse()) else {
            return None;
        };
        Some((a, b))
    }
    pub async fn check() -> Vec<Option<(i32, i32)>> {
        let mut out = Vec::new();
        for text in ["1,2", "3", "x,4"] {
            out.push(parse_pair(text).await);
        }
        out
    }
});

differential!(labeled_loops {
    async fn is_target(a: u32, b: u32) -> bool {
        a * b == 12
    }
    pub async fn check() -> Option<(u32, u32)> {
        let mut found = None;
        'outer: for a in 1..10 {
            for b in 1..10 {
                if b > a {
                    continue 'outer;
                }
                if is_target(a, b).await {
                    found = Some((a, b));
                    break 'outer;
                }
            }
        }
        found
    }
});

differential!(awaits_before_macro_arguments {
    async fn name() -> String {
        "world".to_owned()
    }
    pub async fn check() -> (String, Vec<usize>) {
        let who = name().await;
        let greeting = format!("hello {who}");
        let again = name().await;
        let lengths = vec![again.len(), greeting.len()];
        (greeting, lengths)
    }
});

differential!(strings_and_iterators {
    async fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_uppercase).collect()
    }
    pub async fn check() -> (Vec<String>, usize) {
        let list = words("one two  three").await;
        let total = list.iter().map(String::len).sum();
        (list, total)
    }
});

differential!(owned_collections {
    async fn histogram(text: &str) -> std::collections::BTreeMap<char, usize> {
        let mut map = std::collections::BTreeMap::new();
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            *map.entry(c).or_insert(0) += 1;
        }
        map
    }
    pub async fn check() -> Vec<(char, usize)> {
        histogram("hello, world").await.into_iter().collect()
    }
});

differential!(async_block_without_control_flow {
    pub async fn check() -> (i32, String) {
        let n = async {
            let a = 6;
            a * 7
        }
        .await;
        let s = async move { format!("{n}!") }.await;
        (n, s)
    }
});

differential!(nested_calls_as_arguments {
    async fn add(a: i32, b: i32) -> i32 {
        a + b
    }
    async fn mul(a: i32, b: i32) -> i32 {
        a * b
    }
    pub async fn check() -> i32 {
        add(mul(3, 4).await, mul(add(1, 1).await, 5).await).await
    }
});

differential!(tuple_struct_and_methods_by_value {
    types {
        #[derive(Debug, PartialEq, Clone, Copy)]
        pub struct Meters(pub f64);
    }
    impl Meters {
        pub async fn to_feet(self) -> f64 {
            (self.0 * 3.280_84 * 100.0).round() / 100.0
        }
        pub async fn scaled(self, by: f64) -> Self {
            Meters(self.0 * by)
        }
    }
    pub async fn check() -> (f64, Meters) {
        let m = Meters(2.0);
        (m.scaled(2.0).await.to_feet().await, m.scaled(0.5).await)
    }
});

differential!(references_and_lifetimes {
    async fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
        if a.len() >= b.len() { a } else { b }
    }
    pub async fn check() -> String {
        let first = String::from("short");
        let second = String::from("longer one");
        longest(&first, &second).await.to_owned()
    }
});

differential!(mutable_references {
    async fn push_squares(out: &mut Vec<u32>, upto: u32) {
        for n in 1..=upto {
            out.push(n * n);
        }
    }
    pub async fn check() -> Vec<u32> {
        let mut out = Vec::new();
        push_squares(&mut out, 3).await;
        push_squares(&mut out, 2).await;
        out
    }
});

differential!(enum_state_machine {
    types {
        #[derive(Debug, PartialEq, Clone, Copy)]
        pub enum State {
            Idle,
            Running(u32),
            Done,
        }
    }
    async fn next(state: State) -> State {
        match state {
            State::Idle => State::Running(0),
            State::Running(n) if n >= 2 => State::Done,
            State::Running(n) => State::Running(n + 1),
            State::Done => State::Done,
        }
    }
    pub async fn check() -> Vec<State> {
        let mut state = State::Idle;
        let mut trace = vec![state];
        while state != State::Done {
            state = next(state).await;
            trace.push(state);
        }
        trace
    }
});

differential!(errors_with_custom_types {
    types {
        #[derive(Debug, PartialEq)]
        pub enum Error {
            Empty,
            TooLong(usize),
        }
    }
    async fn validate(name: &str) -> Result<&str, Error> {
        if name.is_empty() {
            return Err(Error::Empty);
        }
        if name.len() > 5 {
            Err(Error::TooLong(name.len()))
        } else {
            Ok(name)
        }
    }
    async fn validate_all<'a>(names: &[&'a str]) -> Result<Vec<&'a str>, Error> {
        let mut out = Vec::new();
        for name in names {
            out.push(validate(name).await?);
        }
        Ok(out)
    }
    pub async fn check() -> Vec<Result<Vec<&'static str>, Error>> {
        let mut out = Vec::new();
        for names in [&["ann", "bob"][..], &["ann", ""], &["ann", "bartholomew"]] {
            out.push(validate_all(names).await);
        }
        out
    }
});

differential!(default_trait_method {
    types {
        pub struct Fixed(pub u32);
    }
    pub trait Named {
        async fn name(&self) -> String;
        async fn shout(&self) -> String {
            self.name().await.to_uppercase()
        }
    }
    impl Named for Fixed {
        async fn name(&self) -> String {
            format!("item{}", self.0)
        }
    }
    pub async fn check() -> (String, String) {
        let f = Fixed(7);
        (f.name().await, f.shout().await)
    }
});

differential!(const_and_static_items {
    types {
        pub const LIMIT: usize = 4;
    }
    static WORDS: [&str; 5] = ["a", "bb", "ccc", "dddd", "eeeee"];
    async fn short_words() -> Vec<&'static str> {
        WORDS.iter().copied().filter(|w| w.len() < LIMIT).collect()
    }
    pub async fn check() -> Vec<&'static str> {
        short_words().await
    }
});

// --- Where we differ from maybe-async on purpose -------------------------

/// The same body with an `async` block that `return`s: maybe-async makes it
/// a plain block, so the `return` leaves the whole fn; our blocking twin keeps
/// the block's own meaning (the value of the block), like the async original.
mod async_block_with_return {
    #![allow(clippy::all, clippy::pedantic)]

    #[twoworlds::dual]
    pub(crate) async fn ours(early: bool) -> u32 {
        let value = async {
            if early {
                return 1;
            }
            2
        }
        .await;
        value + 10
    }

    #[maybe_async::must_be_sync]
    pub(crate) async fn oracle(early: bool) -> u32 {
        let value = async {
            if early {
                return 1;
            }
            2
        }
        .await;
        value + 10
    }

    #[test]
    fn the_return_stays_inside_the_block() {
        // The async original is the reference semantics.
        assert_eq!(twoworlds::block_on(ours(true)), 11);
        assert_eq!(blocking_ours(true), 11);
        // maybe-async's sync version returns from the fn instead.
        assert_eq!(oracle(true), 1);
        // Without the early exit, all agree.
        assert_eq!(blocking_ours(false), 12);
        assert_eq!(oracle(false), 12);
        assert_eq!(twoworlds::block_on(ours(false)), 12);
    }
}

/// The same with `?` in an `async` block: maybe-async's `?` leaves the fn
/// with the error; ours stays in the block, which evaluates to the error.
mod async_block_with_question_mark {
    #![allow(clippy::all, clippy::pedantic)]

    #[twoworlds::dual]
    pub(crate) async fn ours(text: &str) -> Result<u32, String> {
        let parsed: Result<u32, String> = async {
            let n: u32 = text.parse().map_err(|_| format!("bad: {text}"))?;
            Ok(n)
        }
        .await;
        Ok(parsed.unwrap_or(0) + 100)
    }

    #[maybe_async::must_be_sync]
    pub(crate) async fn oracle(text: &str) -> Result<u32, String> {
        let parsed: Result<u32, String> = async {
            let n: u32 = text.parse().map_err(|_| format!("bad: {text}"))?;
            Ok(n)
        }
        .await;
        Ok(parsed.unwrap_or(0) + 100)
    }

    #[test]
    fn the_question_mark_stays_inside_the_block() {
        assert_eq!(twoworlds::block_on(ours("x")), Ok(100));
        assert_eq!(blocking_ours("x"), Ok(100));
        assert_eq!(oracle("x"), Err("bad: x".to_owned()));
        assert_eq!(blocking_ours("5"), Ok(105));
        assert_eq!(oracle("5"), Ok(105));
    }
}

/// `.await` inside macro arguments: maybe-async leaves them and its sync
/// version does not compile, so the async original is the reference.
mod awaits_inside_macro_arguments {
    #![allow(clippy::all, clippy::pedantic)]

    #[twoworlds::dual]
    mod ours {
        async fn name() -> String {
            "world".to_owned()
        }

        pub(crate) async fn check() -> (String, Vec<usize>) {
            let greeting = format!("hello {}", name().await);
            let lengths = vec![name().await.len(), greeting.len()];
            assert_eq!(name().await, "world");
            assert!(matches!(name().await.as_str(), "world"));
            (greeting, lengths)
        }
    }

    #[test]
    fn both_twins_evaluate_the_awaits() {
        let expected = ("hello world".to_owned(), vec![5, 11]);
        assert_eq!(ours::blocking::check(), expected);
        assert_eq!(twoworlds::block_on(ours::check()), expected);
    }
}
