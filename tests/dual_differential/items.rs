//! Corpus, part 2: generics, impl blocks, traits (with default methods and
//! generic callers), data types and statics.

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

differential!(struct_update_syntax {
    types {
        #[derive(Debug, Default, Clone)]
        pub struct Config {
            pub a: u32,
            pub b: u32,
            pub c: u32,
        }
    }
    async fn shorthand(a: u32) -> Config {
        Config { a, ..Default::default() }
    }
    async fn explicit(a: u32, base: Config) -> Config {
        Config { a: a + 1, ..base }
    }
    impl Config {
        pub fn new(c: u32) -> Self {
            Self { c, ..Default::default() }
        }
        pub async fn bumped(&self) -> Self {
            Self { b: self.b + 1, ..self.clone() }
        }
    }
    pub async fn check() -> (Config, Config, Config) {
        let base = shorthand(1).await;
        let next = explicit(2, base).await;
        (next.clone(), Config::new(3).bumped().await, Config { c: 9, ..next })
    }
});
