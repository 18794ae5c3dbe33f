//! Keras' order of a functional model's rows and its choice of layout, as
//! `Functional._map_graph` and `print_summary` compute them: a depth-first walk from the
//! outputs numbers each operation when first reached and lists each call after the calls it
//! depends on; going back through that list gives each call a depth; rows come deepest first,
//! ties by the walk's number.

use std::cmp::Reverse;

/// A depth or number not given yet. The ordering's lists hold `u32`s: a graph of that many
/// calls could not be held in memory, and half-size lists keep the walk in cache.
const UNSET: u32 = u32::MAX;

/// One call (a node of the graph), as the ordering sees it.
pub(super) struct Node {
    /// The operation (row) it is a call of.
    pub op: u32,
    /// Where its parents sit in the graph's flat parent list: the nodes its input tensors
    /// come from, in the order Keras flattens the call's arguments (positional, then keyword
    /// tensors sorted by keyword); one entry per tensor. One list for all nodes keeps the
    /// ordering to a few allocations however large the graph.
    pub parents: std::ops::Range<u32>,
    /// True for a model input's node, where the walk stops.
    pub is_input: bool,
}

/// The rows in Keras' order and what the summary's layout is.
pub(super) struct Ordered {
    /// Operations in the order Keras prints them.
    pub ops: Vec<usize>,
    /// Which nodes belong to the model (reached from its outputs, or a model input).
    pub in_model: Vec<bool>,
    /// True when Keras prints the model like a Sequential one, without "Connected to".
    pub sequential_like: bool,
}

/// A graph as the ordering sees it: its nodes and the parent list their ranges index.
pub(super) struct Nodes<'a> {
    /// Every node.
    pub nodes: &'a [Node],
    /// The parents of all nodes, one after another.
    pub parents: &'a [u32],
}

impl Nodes<'_> {
    /// The parents of node `n`.
    fn parents(&self, n: usize) -> &[u32] {
        let range = &self.nodes[n].parents;
        &self.parents[range.start as usize..range.end as usize]
    }
}

/// A depth or number, 0 when not given yet.
fn or_zero(value: u32) -> u32 {
    if value == UNSET { 0 } else { value }
}

/// Orders the `ops` operations of the graph `graph`, whose model inputs are the nodes
/// `inputs` and whose outputs come from the nodes `outputs`. `None` when the walk meets a
/// cycle (the caller has refused those already).
pub(super) fn keras_order(
    graph: &Nodes<'_>,
    ops: usize,
    inputs: &[usize],
    outputs: &[usize],
) -> Option<Ordered> {
    let nodes = graph.nodes;
    let (walk, op_index) = walk(graph, ops, outputs)?;
    let mut node_depth = vec![UNSET; nodes.len()];
    let mut op_depth = vec![UNSET; ops];
    for &n in walk.iter().rev() {
        let n = n as usize;
        let op = nodes[n].op as usize;
        let depth = or_zero(node_depth[n]).max(or_zero(op_depth[op]));
        op_depth[op] = depth;
        node_depth[n] = depth;
        let below = depth.saturating_add(1);
        for &p in graph.parents(n) {
            let d = &mut node_depth[p as usize];
            *d = if *d == UNSET { below } else { (*d).max(below) };
        }
    }
    let mut in_model: Vec<bool> = vec![false; nodes.len()];
    for &n in &walk {
        in_model[n as usize] = true;
    }
    // Inputs no output depends on: depth 0, ahead of the other depth-0 rows.
    let mut unused = Vec::new();
    for &n in inputs {
        let op = nodes[n].op as usize;
        if op_depth[op] == UNSET {
            op_depth[op] = 0;
            node_depth[n] = 0;
            in_model[n] = true;
            unused.push(op);
        }
    }
    let mut order: Vec<(Reverse<u32>, usize, usize)> = Vec::with_capacity(ops);
    for (op, &depth) in op_depth.iter().enumerate() {
        if depth != UNSET {
            let rank = match unused.iter().position(|&u| u == op) {
                Some(i) => i,
                None => unused.len() + or_zero(op_index[op]) as usize,
            };
            order.push((Reverse(depth), rank, op));
        }
    }
    order.sort_unstable();
    let sequential_like = sequential_like(graph, ops, &node_depth, &in_model);
    Some(Ordered {
        ops: order.into_iter().map(|(_, _, op)| op).collect(),
        in_model,
        sequential_like,
    })
}

/// The depth-first walk from the outputs: nodes in the order they finish, and each
/// operation's number in the order first reached.
fn walk(graph: &Nodes<'_>, ops: usize, outputs: &[usize]) -> Option<(Vec<u32>, Vec<u32>)> {
    let nodes = graph.nodes;
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; nodes.len()];
    let mut op_index = vec![UNSET; ops];
    let mut numbered = 0;
    let mut finished = Vec::with_capacity(nodes.len());
    let mut stack: Vec<(u32, u32)> = Vec::new();
    {
        let mut enter = |n: u32, state: &mut [u8], stack: &mut Vec<(u32, u32)>| {
            let op = nodes[n as usize].op as usize;
            if op_index[op] == UNSET {
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
                let parents = graph.parents(n as usize);
                if !nodes[n as usize].is_input && (*next as usize) < parents.len() {
                    let p = parents[*next as usize];
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
/// called twice within the model.
fn sequential_like(graph: &Nodes<'_>, ops: usize, node_depth: &[u32], in_model: &[bool]) -> bool {
    let mut at_depth: Vec<bool> = Vec::new();
    let mut called = vec![false; ops];
    for (n, node) in graph.nodes.iter().enumerate() {
        if !in_model[n] || node_depth[n] == UNSET {
            continue;
        }
        let d = node_depth[n] as usize;
        if at_depth.len() <= d {
            at_depth.resize(d + 1, false);
        }
        if at_depth[d] || node.parents.len() > 1 {
            return false;
        }
        at_depth[d] = true;
        match called.get_mut(node.op as usize) {
            Some(seen) if !*seen => *seen = true,
            _ => return false,
        }
    }
    true
}
