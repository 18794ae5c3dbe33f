//! Keras' order of a functional model's rows and its choice of layout, as
//! `Functional._map_graph` and `print_summary` compute them: a depth-first walk from the
//! outputs numbers each operation when first reached and lists each call after the calls it
//! depends on; going back through that list gives each call a depth; rows come deepest first,
//! ties by the walk's number.

use std::cmp::Reverse;

use super::build::small;

/// No value: a depth or number not given yet, or (in the builder's call records) no node,
/// entry or list. The ordering's lists and the records hold `u32`s: a graph of that many
/// calls could not be held in memory, and 4-byte entries (not 16) keep the walks in cache.
pub(super) const NONE: u32 = u32::MAX;

/// A graph as the ordering reads it, straight from the summary's own list of calls.
pub(super) trait Calls {
    /// How many calls (nodes) there are.
    fn count(&self) -> usize;
    /// The operation (row) node `n` is a call of.
    fn op(&self, n: usize) -> usize;
    /// The `i`-th node node `n` reads from, in the order Keras flattens the call's arguments
    /// (positional, then keyword tensors sorted by keyword); `None` past the last. A model
    /// input reads from none: the walk stops there.
    fn parent(&self, n: usize, i: usize) -> Option<usize>;
    /// How many tensors node `n` receives.
    fn tensors_in(&self, n: usize) -> usize;
}

/// The rows in Keras' order and what the summary's layout is.
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct Ordered {
    /// Operations in the order Keras prints them.
    pub ops: Vec<usize>,
    /// Which nodes belong to the model (reached from its outputs, or a model input).
    pub in_model: Vec<bool>,
    /// True when Keras prints the model like a Sequential one, without "Connected to".
    pub sequential_like: bool,
}

/// A depth or number, 0 when not given yet.
fn or_zero(value: u32) -> u32 {
    if value == NONE { 0 } else { value }
}

/// Orders the `ops` operations of the graph `graph`, whose model inputs are the nodes
/// `inputs` and whose outputs come from the nodes `outputs`. `None` when the walk meets a
/// cycle (the caller has refused those already).
pub(super) fn keras_order(
    graph: &impl Calls,
    ops: usize,
    inputs: &[usize],
    outputs: &[usize],
) -> Option<Ordered> {
    by_depth(graph, ops, inputs, outputs).or_else(|| walked(graph, ops, inputs, outputs))
}

/// Keras' order as Keras computes it: the walk, the depths from it, and the rows sorted by
/// depth and then by the walk's numbers.
fn walked(graph: &impl Calls, ops: usize, inputs: &[usize], outputs: &[usize]) -> Option<Ordered> {
    let (walk, op_index) = walk(graph, ops, outputs)?;
    let mut node_depth = vec![NONE; graph.count()];
    let mut op_depth = vec![NONE; ops];
    for &n in walk.iter().rev() {
        let n = n as usize;
        let op = graph.op(n);
        let depth = or_zero(node_depth[n]).max(or_zero(op_depth[op]));
        op_depth[op] = depth;
        node_depth[n] = depth;
        let below = depth.saturating_add(1);
        let mut i = 0;
        while let Some(p) = graph.parent(n, i) {
            i += 1;
            let d = &mut node_depth[p];
            *d = if *d == NONE { below } else { (*d).max(below) };
        }
    }
    let mut in_model: Vec<bool> = vec![false; graph.count()];
    for &n in &walk {
        in_model[n as usize] = true;
    }
    // Inputs no output depends on: depth 0, ahead of the other depth-0 rows.
    let mut unused = Vec::new();
    for &n in inputs {
        let op = graph.op(n);
        if op_depth[op] == NONE {
            op_depth[op] = 0;
            node_depth[n] = 0;
            in_model[n] = true;
            unused.push(op);
        }
    }
    let mut order: Vec<(Reverse<u32>, usize, usize)> = Vec::with_capacity(ops);
    for (op, &depth) in op_depth.iter().enumerate() {
        if depth != NONE {
            let rank = match unused.iter().position(|&u| u == op) {
                Some(i) => i,
                None => unused.len() + or_zero(op_index[op]) as usize,
            };
            order.push((Reverse(depth), rank, op));
        }
    }
    order.sort_unstable();
    let sequential_like = sequential_like(graph, ops, &node_depth, |n| in_model[n]);
    Some(Ordered {
        ops: order.into_iter().map(|(_, _, op)| op).collect(),
        in_model,
        sequential_like,
    })
}

/// Keras' order without the walk, for the usual graph: each operation called once, each call
/// numbered after the calls it reads, every input used, and the depths falling one call after
/// another. Then each depth holds one operation, so the walk's numbers break no tie: a sweep
/// from the last call back gives the depths, and the calls in their own order are the rows.
/// `None` when the graph is not of that kind.
fn by_depth(
    graph: &impl Calls,
    ops: usize,
    inputs: &[usize],
    outputs: &[usize],
) -> Option<Ordered> {
    // Every operation has a call, so as many calls as operations means one call each.
    if graph.count() != ops {
        return None;
    }
    let node_depth = depths(graph, inputs, outputs)?;
    let mut order = Vec::with_capacity(ops);
    let mut last = NONE;
    for (n, &depth) in node_depth.iter().enumerate() {
        if depth == NONE {
            continue;
        }
        if depth >= last {
            return None;
        }
        last = depth;
        order.push(graph.op(n));
    }
    let in_model: Vec<bool> = node_depth.iter().map(|&d| d != NONE).collect();
    let sequential_like = sequential_like(graph, ops, &node_depth, |n| in_model[n]);
    Some(Ordered {
        ops: order,
        in_model,
        sequential_like,
    })
}

/// For a graph whose calls are each their own operation, in order: `Some(sequential_like)`
/// when Keras keeps every call where it is ([`by_depth`] orders every call, in its own
/// order), `None` otherwise. What [`by_depth`] answers, without writing the order down.
pub(super) fn in_place(graph: &impl Calls, inputs: &[usize], outputs: &[usize]) -> Option<bool> {
    let node_depth = depths(graph, inputs, outputs)?;
    // Depths falling from the first call, which has one, to the last: every call is in the
    // model and holds its depth alone.
    let falls = node_depth.first().is_some_and(|&d| d != NONE)
        && node_depth.windows(2).all(|w| w[0] > w[1]);
    falls.then(|| sequential_like(graph, graph.count(), &node_depth, |_| true))
}

/// [`in_place`] for a graph of calls that are each their own operation, in which every call
/// reads the one just before it and the only output is the last: the sweep would find depths
/// falling by one from the first call to the last, so it is not run. Whether Keras prints
/// the graph as a Sequential model is all that is left to tell.
pub(super) fn chained_in_place(graph: &impl Calls) -> bool {
    let count = graph.count();
    let node_depth: Vec<u32> = (0..count).rev().map(small).collect();
    sequential_like(graph, count, &node_depth, |_| true)
}

/// Each call's depth by one sweep back from the last call ([`NONE`]: no output depends on
/// it); `None` when a call reads a later one or an input is unused, which the sweep cannot
/// order.
fn depths(graph: &impl Calls, inputs: &[usize], outputs: &[usize]) -> Option<Vec<u32>> {
    let count = graph.count();
    let mut node_depth = vec![NONE; count];
    for &out in outputs {
        *node_depth.get_mut(out)? = 0;
    }
    // A call's users come after it, so its depth is final when the sweep reaches it.
    for n in (0..count).rev() {
        let depth = node_depth[n];
        if depth == NONE {
            continue;
        }
        let below = depth.saturating_add(1);
        let mut i = 0;
        while let Some(p) = graph.parent(n, i) {
            i += 1;
            if p >= n {
                return None;
            }
            let d = &mut node_depth[p];
            *d = if *d == NONE { below } else { (*d).max(below) };
        }
    }
    // An unused input comes first among depth 0, by the walk's rule.
    if inputs
        .iter()
        .any(|&n| node_depth.get(n).is_none_or(|&d| d == NONE))
    {
        return None;
    }
    Some(node_depth)
}

/// The depth-first walk from the outputs: nodes in the order they finish, and each
/// operation's number in the order first reached.
fn walk(graph: &impl Calls, ops: usize, outputs: &[usize]) -> Option<(Vec<u32>, Vec<u32>)> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; graph.count()];
    let mut op_index = vec![NONE; ops];
    let mut numbered = 0;
    let mut finished = Vec::with_capacity(graph.count());
    let mut stack: Vec<(u32, u32)> = Vec::new();
    {
        let mut enter = |n: u32, state: &mut [u8], stack: &mut Vec<(u32, u32)>| {
            let op = graph.op(n as usize);
            if op_index[op] == NONE {
                op_index[op] = numbered;
                numbered += 1;
            }
            state[n as usize] = OPEN;
            stack.push((n, 0));
        };
        for &out in outputs {
            match state[out] {
                DONE => continue,
                OPEN => return None,
                _ => enter(u32::try_from(out).ok()?, &mut state, &mut stack),
            }
            while let Some(&mut (n, ref mut next)) = stack.last_mut() {
                if let Some(p) = graph.parent(n as usize, *next as usize) {
                    let p = u32::try_from(p).ok()?;
                    *next += 1;
                    match state[p as usize] {
                        NEW => enter(p, &mut state, &mut stack),
                        OPEN => return None,
                        _ => {}
                    }
                } else {
                    state[n as usize] = DONE;
                    finished.push(n);
                    stack.pop();
                }
            }
        }
    }
    Some((finished, op_index))
}

/// Keras' test: every depth holds one node with at most one input tensor, and no layer is
/// called twice within the model (`in_model(n)`: whether node `n` is).
fn sequential_like(
    graph: &impl Calls,
    ops: usize,
    node_depth: &[u32],
    in_model: impl Fn(usize) -> bool,
) -> bool {
    let mut at_depth: Vec<bool> = Vec::new();
    let mut called = vec![false; ops];
    for (n, &depth) in node_depth.iter().enumerate().take(graph.count()) {
        if !in_model(n) || depth == NONE {
            continue;
        }
        let d = depth as usize;
        if at_depth.len() <= d {
            at_depth.resize(d + 1, false);
        }
        if at_depth[d] || graph.tensors_in(n) > 1 {
            return false;
        }
        at_depth[d] = true;
        match called.get_mut(graph.op(n)) {
            Some(seen) if !*seen => *seen = true,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A graph of calls, each its own operation, given by the calls each reads.
    struct Dag(Vec<Vec<usize>>);

    impl Calls for Dag {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn op(&self, n: usize) -> usize {
            n
        }
        fn parent(&self, n: usize, i: usize) -> Option<usize> {
            self.0[n].get(i).copied()
        }
        fn tensors_in(&self, n: usize) -> usize {
            self.0[n].len()
        }
    }

    /// A residual stack: input, then (Dense on x, Add of x and the Dense) repeated.
    fn residual(blocks: usize) -> Dag {
        let mut calls = vec![vec![]];
        let mut x = 0;
        for _ in 0..blocks {
            calls.push(vec![x]);
            calls.push(vec![x, calls.len() - 1]);
            x = calls.len() - 1;
        }
        Dag(calls)
    }

    #[test]
    fn a_residual_stack_is_ordered_without_the_walk_and_as_the_walk_orders_it() {
        let dag = residual(4);
        let last = dag.count() - 1;
        let fast = by_depth(&dag, dag.count(), &[0], &[last]);
        assert!(fast.is_some(), "the residual stack should take the sweep");
        assert_eq!(fast, walked(&dag, dag.count(), &[0], &[last]));
        assert_eq!(fast.map(|o| o.ops), Some((0..=last).collect()));
    }

    #[test]
    fn two_branches_at_one_depth_are_left_to_the_walk() {
        // x → a, x → b, add(a, b): a and b share a depth, which only the walk's numbers order.
        let dag = Dag(vec![vec![], vec![0], vec![0], vec![1, 2]]);
        assert_eq!(by_depth(&dag, 4, &[0], &[3]), None);
        assert!(walked(&dag, 4, &[0], &[3]).is_some());
    }

    proptest! {
        /// Wherever the sweep answers, it answers as the walk does; it keeps the calls in
        /// place exactly when its order is theirs.
        #[test]
        fn the_sweep_agrees_with_the_walk(
            picks in proptest::collection::vec(proptest::collection::vec(any::<u16>(), 0..3), 1..14),
            inputs in 1usize..3,
            outputs in proptest::collection::vec(any::<u16>(), 1..3),
        ) {
            // Call n reads from calls before it; the first `inputs` calls read from none.
            let calls: Vec<Vec<usize>> = picks
                .iter()
                .enumerate()
                .map(|(n, p)| match n {
                    n if n < inputs => vec![],
                    n => p.iter().map(|&x| usize::from(x) % n).collect(),
                })
                .collect();
            let count = calls.len();
            let ins: Vec<usize> = (0..inputs.min(count)).collect();
            let outs: Vec<usize> = outputs.iter().map(|&o| usize::from(o) % count).collect();
            let dag = Dag(calls);
            let fast = by_depth(&dag, count, &ins, &outs);
            // In place exactly when the sweep orders every call in its own order.
            let kept = fast
                .as_ref()
                .filter(|o| o.ops.iter().copied().eq(0..count))
                .map(|o| o.sequential_like);
            prop_assert_eq!(in_place(&dag, &ins, &outs), kept);
            if let Some(fast) = fast {
                prop_assert_eq!(Some(fast), walked(&dag, count, &ins, &outs));
            }
        }

        /// Where every call reads the one before it and the last is the only output, the
        /// shortcut answers as the sweep does.
        #[test]
        fn a_chain_of_calls_is_kept_in_place_as_the_sweep_keeps_it(
            picks in proptest::collection::vec(proptest::collection::vec(any::<u16>(), 0..3), 1..14),
            first in any::<bool>(),
        ) {
            let calls: Vec<Vec<usize>> = picks
                .iter()
                .enumerate()
                .map(|(n, p)| match n {
                    0 => vec![],
                    n => {
                        let mut reads: Vec<usize> = p.iter().map(|&x| usize::from(x) % n).collect();
                        // The call before, first or last among the others.
                        if first { reads.insert(0, n - 1) } else { reads.push(n - 1) }
                        reads
                    }
                })
                .collect();
            let last = calls.len() - 1;
            let dag = Dag(calls);
            prop_assert_eq!(in_place(&dag, &[0], &[last]), Some(chained_in_place(&dag)));
        }
    }
}
