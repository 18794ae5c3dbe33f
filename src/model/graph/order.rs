//! Keras' order of a functional model's rows and its choice of layout, as
//! `Functional._map_graph` and `print_summary` compute them: a depth-first walk from the
//! outputs numbers each operation when first reached and lists each call after the calls it
//! depends on; going back through that list gives each call a depth; rows come deepest first,
//! ties by the walk's number.

use std::cmp::Reverse;

/// One call (a node of the graph), as the ordering sees it.
pub(super) struct Node {
    /// The operation (row) it is a call of.
    pub op: usize,
    /// Where its parents sit in the graph's flat parent list: the nodes its input tensors
    /// come from, in the order Keras flattens the call's arguments (positional, then keyword
    /// tensors sorted by keyword); one entry per tensor. One list for all nodes keeps the
    /// ordering to a few allocations however large the graph.
    pub parents: std::ops::Range<usize>,
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
    pub parents: &'a [usize],
}

impl Nodes<'_> {
    /// The parents of node `n`.
    fn parents(&self, n: usize) -> &[usize] {
        &self.parents[self.nodes[n].parents.clone()]
    }
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
    let mut node_depth: Vec<Option<usize>> = vec![None; nodes.len()];
    let mut op_depth: Vec<Option<usize>> = vec![None; ops];
    for &n in walk.iter().rev() {
        let op = nodes[n].op;
        let depth = node_depth[n].unwrap_or(0).max(op_depth[op].unwrap_or(0));
        op_depth[op] = Some(depth);
        node_depth[n] = Some(depth);
        for &p in graph.parents(n) {
            node_depth[p] = Some(node_depth[p].map_or(depth + 1, |d| d.max(depth + 1)));
        }
    }
    let mut in_model: Vec<bool> = vec![false; nodes.len()];
    for &n in &walk {
        in_model[n] = true;
    }
    // Inputs no output depends on: depth 0, ahead of the other depth-0 rows.
    let mut unused = Vec::new();
    for &n in inputs {
        let op = nodes[n].op;
        if op_depth[op].is_none() {
            op_depth[op] = Some(0);
            node_depth[n] = Some(0);
            in_model[n] = true;
            unused.push(op);
        }
    }
    let mut order: Vec<(Reverse<usize>, usize, usize)> = Vec::with_capacity(ops);
    for (op, depth) in op_depth.iter().enumerate() {
        if let Some(d) = depth {
            let rank = match unused.iter().position(|&u| u == op) {
                Some(i) => i,
                None => unused.len() + op_index[op].unwrap_or(0),
            };
            order.push((Reverse(*d), rank, op));
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
fn walk(
    graph: &Nodes<'_>,
    ops: usize,
    outputs: &[usize],
) -> Option<(Vec<usize>, Vec<Option<usize>>)> {
    let nodes = graph.nodes;
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; nodes.len()];
    let mut op_index: Vec<Option<usize>> = vec![None; ops];
    let mut numbered = 0;
    let mut finished = Vec::with_capacity(nodes.len());
    let mut stack: Vec<(usize, usize)> = Vec::new();
    {
        let mut enter = |n: usize, state: &mut [u8], stack: &mut Vec<(usize, usize)>| {
            let op = nodes[n].op;
            if op_index[op].is_none() {
                op_index[op] = Some(numbered);
                numbered += 1;
            }
            state[n] = OPEN;
            stack.push((n, 0));
        };
        for &out in outputs {
            match state[out] {
                DONE => continue,
                OPEN => return None,
                _ => enter(out, &mut state, &mut stack),
            }
            while let Some(&mut (n, ref mut next)) = stack.last_mut() {
                let parents = graph.parents(n);
                if !nodes[n].is_input && *next < parents.len() {
                    let p = parents[*next];
                    *next += 1;
                    match state[p] {
                        NEW => enter(p, &mut state, &mut stack),
                        OPEN => return None,
                        _ => {}
                    }
                } else {
                    state[n] = DONE;
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
fn sequential_like(
    graph: &Nodes<'_>,
    ops: usize,
    node_depth: &[Option<usize>],
    in_model: &[bool],
) -> bool {
    let mut at_depth: Vec<Option<usize>> = Vec::new();
    let mut called = vec![false; ops];
    for (n, node) in graph.nodes.iter().enumerate() {
        if !in_model[n] {
            continue;
        }
        let Some(d) = node_depth[n] else { continue };
        if at_depth.len() <= d {
            at_depth.resize(d + 1, None);
        }
        if at_depth[d].is_some() || node.parents.len() > 1 {
            return false;
        }
        at_depth[d] = Some(n);
        match called.get_mut(node.op) {
            Some(seen) if !*seen => *seen = true,
            _ => return false,
        }
    }
    true
}
