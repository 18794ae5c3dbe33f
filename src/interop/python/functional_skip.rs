//! Code beside the model that the functional reader does not run: an `if`, `with`, `try` or
//! `while` block, or a loop over data, that builds nothing of the model is skipped, and the
//! names it assigns are marked so a later use says why they have no value. Such a block that
//! touches the model is refused where it is written.

use super::block::Stmt;
use super::functional::{
    FVal, Interp, SUPPORTED, flat_names, strip_annotation, target_names, top_level,
};
use super::lexer::{Tok, Token};
use crate::model::{Located, Pos};

impl Interp {
    /// A statement or block outside the subset.
    pub fn other(
        &mut self,
        word: &str,
        pos: Pos,
        header: &[Token],
        body: &[Stmt],
    ) -> Result<(), Located> {
        if self.touches_graph(header) || self.body_touches(body) {
            return Err(Located::new(
                pos,
                format!(
                    "expected {SUPPORTED}; got `{word}` around model code: lstm-tui reads a functional model without running it"
                ),
            ));
        }
        if let ("class", Some(Tok::Name(class))) = (word, header.get(1).map(|t| &t.tok)) {
            // A custom layer (`class TransformerBlock(layers.Layer)`) makes and wires its
            // layers in methods that are not run: its use says so, rather than that the call
            // is an unknown function.
            let why = Located::new(pos, super::custom_class(class, pos));
            self.bind(class, FVal::Failed(why));
            return Ok(());
        }
        let mut names: Vec<String> = Vec::new();
        if let Some(at) = header.iter().position(|t| t.tok == Tok::Name("as".into())) {
            if let Some(Token {
                tok: Tok::Name(n), ..
            }) = header.get(at + 1)
            {
                names.push(n.clone());
            }
        }
        self.skip_assigned(body, &names, word, pos);
        Ok(())
    }

    /// Whether any statement in `stmts` builds or uses the model.
    pub fn body_touches(&self, stmts: &[Stmt]) -> bool {
        stmts.iter().any(|s| match s {
            Stmt::Simple(toks) | Stmt::Return(toks, _) => self.touches_graph(toks),
            Stmt::For {
                target, iter, body, ..
            } => self.touches_graph(target) || self.touches_graph(iter) || self.body_touches(body),
            Stmt::Other { header, body, .. } => {
                self.touches_graph(header) || self.body_touches(body)
            }
            Stmt::Def { .. } | Stmt::Skip => false,
            Stmt::TooDeep(_) => true,
        })
    }

    /// Marks `extra` and every name `stmts` assign as having no value the reader knows.
    pub fn skip_assigned(&mut self, stmts: &[Stmt], extra: &[String], word: &str, pos: Pos) {
        let mut names = extra.to_vec();
        assigned(stmts, &mut names);
        for n in names {
            let why = Located::new(
                pos,
                format!(
                    "expected a value lstm-tui can tell; `{n}` is assigned in the `{word}` at line {}, which it skips because it does not run code",
                    pos.line
                ),
            );
            self.bind(&n, FVal::Failed(why));
        }
    }
}

/// The names `stmts` assign, nested blocks included.
fn assigned(stmts: &[Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match s {
            Stmt::Simple(toks) => {
                let eqs: Vec<usize> = top_level(toks)
                    .filter(|(_, t)| {
                        matches!(t.tok, Tok::Op(op) if op.ends_with('=') && !matches!(op, "==" | "<=" | ">=" | "!="))
                    })
                    .map(|(i, _)| i)
                    .collect();
                let mut start = 0;
                for eq in eqs {
                    if let Some(names) = target_names(strip_annotation(&toks[start..eq])) {
                        out.extend(flat_names(std::slice::from_ref(&names)));
                    }
                    start = eq + 1;
                }
            }
            Stmt::For { target, body, .. } => {
                if let Some(names) = target_names(target) {
                    out.extend(flat_names(std::slice::from_ref(&names)));
                }
                assigned(body, out);
            }
            Stmt::Def { name, .. } => out.push(name.clone()),
            Stmt::Other { body, .. } => assigned(body, out),
            Stmt::Return(..) | Stmt::Skip | Stmt::TooDeep(_) => {}
        }
    }
}
