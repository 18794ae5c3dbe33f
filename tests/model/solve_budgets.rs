//! The solver against all three budgets at once, for random stacks of Dense, LSTM, GRU and
//! Conv1D: its proposal fits every set budget and one more step of the multiple does not.
//! Parameters and MACs are recomputed here from Keras' formulas in u128, not by the library.

use lstm_tui::model::layers::{Conv1D, Dense, Gru, KnobValue, Layer, Lstm, Padding};
use lstm_tui::model::solve::{SolveError, largest_size, scale_widths};
use lstm_tui::model::{Budget, Convention, Design, Precision, Shape};
use proptest::prelude::*;

/// A layer of the generated stacks; every one keeps the time axis, so any order builds.
#[derive(Debug, Clone, Copy)]
enum Spec {
    Dense(u64),
    Lstm(u64),
    Gru(u64),
    Conv1D { filters: u64, kernel: u64 },
}

impl Spec {
    fn layer(self) -> Layer {
        match self {
            Spec::Dense(units) => Layer::Dense(Dense {
                units,
                ..Dense::default()
            }),
            Spec::Lstm(units) => Layer::Lstm(Lstm {
                units,
                return_sequences: true,
                ..Lstm::default()
            }),
            Spec::Gru(units) => Layer::Gru(Gru {
                units,
                return_sequences: true,
                ..Gru::default()
            }),
            Spec::Conv1D { filters, kernel } => Layer::Conv1D(Conv1D {
                filters,
                kernel_size: kernel,
                padding: Padding::Same,
                ..Conv1D::default()
            }),
        }
    }

    fn with_size(self, n: u64) -> Spec {
        match self {
            Spec::Dense(_) => Spec::Dense(n),
            Spec::Lstm(_) => Spec::Lstm(n),
            Spec::Gru(_) => Spec::Gru(n),
            Spec::Conv1D { kernel, .. } => Spec::Conv1D { filters: n, kernel },
        }
    }

    /// (parameters, MACs per sample, output features) on `t` timesteps of `f` features, from
    /// Keras' formulas: LSTM 4 gates with one bias, GRU (reset_after) 3 gates with two biases,
    /// Conv1D "same" keeps every timestep.
    fn counts(self, t: u128, f: u128) -> (u128, u128, u128) {
        match self {
            Spec::Dense(u) => {
                let u = u128::from(u);
                (f * u + u, t * f * u, u)
            }
            Spec::Lstm(h) => {
                let h = u128::from(h);
                (4 * (h * (f + h) + h), t * 4 * h * (f + h), h)
            }
            Spec::Gru(h) => {
                let h = u128::from(h);
                (3 * (h * (f + h) + 2 * h), t * 3 * h * (f + h), h)
            }
            Spec::Conv1D { filters, kernel } => {
                let (c, k) = (u128::from(filters), u128::from(kernel));
                (k * f * c + c, t * c * k * f, c)
            }
        }
    }
}

const T: u64 = 20;
const F: u64 = 6;

/// Total parameters and MACs of a stack on (T, F).
fn totals(specs: &[Spec]) -> (u128, u128) {
    let (mut params, mut macs, mut f) = (0u128, 0u128, u128::from(F));
    for s in specs {
        let (p, m, out) = s.counts(u128::from(T), f);
        params += p;
        macs += m;
        f = out;
    }
    (params, macs)
}

fn within(specs: &[Spec], budget: &Budget) -> bool {
    let (params, macs) = totals(specs);
    budget.params.is_none_or(|l| params <= u128::from(l))
        && budget
            .memory
            .is_none_or(|l| params * u128::from(budget.precision.bytes()) <= u128::from(l))
        && budget.macs.is_none_or(|l| macs <= u128::from(l))
}

fn design(specs: &[Spec], budget: Budget) -> Design {
    let mut d = Design::example();
    d.input.shape = Shape::known(&[T, F]);
    d.layers = specs.iter().map(|s| s.layer()).collect();
    d.budget = budget;
    d
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        (1u64..96).prop_map(Spec::Dense),
        (1u64..96).prop_map(Spec::Lstm),
        (1u64..96).prop_map(Spec::Gru),
        (1u64..96, 1u64..6).prop_map(|(filters, kernel)| Spec::Conv1D { filters, kernel }),
    ]
}

fn budget() -> impl Strategy<Value = Budget> {
    (
        proptest::option::of(1_000u64..400_000),
        proptest::option::of(2_000u64..1_600_000),
        prop_oneof![
            Just(Precision::Fp32),
            Just(Precision::Fp16),
            Just(Precision::Bf16),
            Just(Precision::Int8)
        ],
        proptest::option::of(20_000u64..20_000_000),
    )
        .prop_map(|(params, memory, precision, macs)| Budget {
            params,
            memory,
            precision,
            macs,
            batch: None,
        })
        .prop_filter("at least one budget", |b| !b.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn proposal_fits_every_budget_and_one_more_step_does_not(
        specs in proptest::collection::vec(spec(), 1..6),
        pick in any::<proptest::sample::Index>(),
        budget in budget(),
        multiple in prop_oneof![Just(1u64), Just(8), Just(16), Just(64)],
    ) {
        let index = pick.index(specs.len());
        let d = design(&specs, budget);
        let resized = |n: u64| {
            let mut s = specs.clone();
            s[index] = s[index].with_size(n);
            s
        };
        match largest_size(&d, index, multiple, Convention::Keras) {
            Ok(p) => {
                let size = p.changes[0].new;
                prop_assert_eq!(size % multiple, 0);
                prop_assert!(within(&resized(size), &budget), "size {} is over budget", size);
                prop_assert!(
                    !within(&resized(size + multiple), &budget),
                    "size {} + {} still fits", size, multiple
                );
                prop_assert_eq!(u128::from(p.total), totals(&resized(size)).0);
                prop_assert_eq!(
                    p.design.layers[index].kind().knob().map(|k| k.value),
                    Some(KnobValue::Count(size))
                );
            }
            Err(SolveError::OverBudget(_)) => {
                prop_assert!(!within(&resized(multiple), &budget));
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scaled_widths_fit_every_budget(
        specs in proptest::collection::vec(spec(), 2..6),
        budget in budget(),
        multiple in prop_oneof![Just(1u64), Just(8), Just(16)],
    ) {
        let d = design(&specs, budget);
        match scale_widths(&d, multiple, Convention::Keras) {
            Ok(p) => {
                let mut scaled = specs.clone();
                for c in &p.changes {
                    prop_assert_eq!(c.new % multiple, 0);
                    scaled[c.layer] = scaled[c.layer].with_size(c.new);
                }
                // The last layer is the model's output size and never changes.
                prop_assert!(p.changes.iter().all(|c| c.layer + 1 < specs.len()));
                prop_assert!(within(&scaled, &budget));
                prop_assert_eq!(u128::from(p.total), totals(&scaled).0);
            }
            Err(SolveError::OverBudget(_)) => {
                let mut smallest = specs.clone();
                let last = smallest.len() - 1;
                for s in &mut smallest[..last] {
                    *s = s.with_size(multiple);
                }
                prop_assert!(!within(&smallest, &budget));
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }
}

#[test]
fn a_mac_budget_alone_drives_the_solver() {
    // The example's first LSTM at u units on (100, 6): 100 × 4 × u × (6 + u) MACs; the rest:
    // the second LSTM 100 × 4 × 64 × (u + 64), Dense 64 × 64 twice and 64 × 6.
    let macs = |u: u64| 100 * 4 * u * (6 + u) + 100 * 4 * 64 * (u + 64) + 2 * 64 * 64 + 64 * 6;
    let limit = 5_000_000;
    let expected = (1..1000).rev().find(|&u| macs(u) <= limit).unwrap();
    let mut d = Design::example();
    d.budget.macs = Some(limit);
    let p = largest_size(&d, 0, 1, Convention::Keras).unwrap();
    assert_eq!(p.changes[0].new, expected);
}

#[test]
fn an_open_sequence_length_never_fits_a_mac_budget() {
    let mut d = Design::example();
    d.input.shape = Shape(vec![None, Some(6)].into());
    d.budget.macs = Some(u64::MAX);
    assert!(matches!(
        largest_size(&d, 0, 1, Convention::Keras),
        Err(SolveError::Uncounted(why)) if why.contains("MACs cannot be counted")
    ));
}

#[test]
fn the_example_shows_three_gauges_with_headroom_or_overshoot() {
    use lstm_tui::model::{Gauge, Measure, Summary};
    // Keras' counts of the example, and its MACs on 100 timesteps, from the formulas.
    let lstm = |i: u64, h: u64| (4 * (h * (i + h) + h), 100 * 4 * h * (i + h));
    let dense = |i: u64, u: u64| (i * u + u, i * u);
    let parts = [
        lstm(6, 64),
        lstm(64, 64),
        dense(64, 64),
        dense(64, 64),
        dense(64, 6),
    ];
    let params: u64 = parts.iter().map(|p| p.0).sum();
    let macs: u64 = parts.iter().map(|p| p.1).sum();
    assert_eq!(params, 59_910);

    let mut d = Design::example();
    d.budget = Budget {
        params: Some(60_000),
        memory: Some(120_000),
        precision: Precision::Fp16,
        macs: Some(5_000_000),
        batch: None,
    };
    let s = Summary::of(&d, Convention::Keras);
    let gauges = d.budget.gauges(&s);
    assert_eq!(
        gauges,
        vec![
            Gauge {
                what: Measure::Params,
                used: params,
                limit: 60_000
            },
            Gauge {
                what: Measure::Memory(Precision::Fp16),
                used: params * 2,
                limit: 120_000
            },
            Gauge {
                what: Measure::Macs,
                used: macs,
                limit: 5_000_000
            },
        ]
    );
    assert_eq!(gauges[0].headroom(), 90);
    assert_eq!(gauges[1].headroom(), 120_000 - i128::from(params * 2));
    assert_eq!(gauges[2].headroom(), 5_000_000 - i128::from(macs));
    assert!(!gauges[2].fits());
    assert!(!d.budget.fits(&s));
    d.budget.macs = Some(macs);
    assert!(d.budget.fits(&Summary::of(&d, Convention::Keras)));
}
