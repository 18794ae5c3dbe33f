//! The sizes of a ready block, asked once before it is inserted: one line per size the block
//! takes, filled in with its defaults for the tensor it starts from. Enter inserts every layer
//! of the block as one undo step and selects its last layer.

use crate::app::action::{Action, Effect};
use crate::app::popups::{Popup, move_in};
use crate::app::state::{App, Mode};
use crate::app::text::{TextEdit, TextOp};
use crate::model::graph::{Block, Size, Sizes, Start};
use crate::model::{Convention, Design, Summary};

/// The open block form.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockForm {
    /// The block to insert.
    pub block: Block,
    /// Where its first layer goes.
    pub at: usize,
    /// The tensor it starts from.
    pub start: Start,
    /// One text per size in `block.sizes()` order.
    pub fields: Vec<TextEdit>,
    /// The field with the cursor.
    pub index: usize,
    /// Why the texts are rejected, and the field at fault.
    pub error: Option<(usize, String)>,
}

impl BlockForm {
    /// The form for `block` inserted at `at`, or `None` when the tensor there does not build.
    pub fn new(design: &Design, block: Block, at: usize) -> Option<BlockForm> {
        let start = design.block_start(at)?;
        let defaults = block.defaults(&start, design.encoder_output(at));
        let mut fields: Vec<TextEdit> = block
            .sizes()
            .iter()
            .map(|size| TextEdit::new(&text_of(&defaults, *size)))
            .collect();
        if let Some(first) = fields.first_mut() {
            first.select();
        }
        Some(BlockForm {
            block,
            at,
            start,
            fields,
            index: 0,
            error: None,
        })
    }

    /// The sizes the texts say, or the row at fault and why.
    pub fn read(&self) -> Result<Sizes, (usize, String)> {
        let mut sizes = self.block.defaults(&self.start, None);
        for (row, (size, edit)) in self.block.sizes().iter().zip(&self.fields).enumerate() {
            let text = edit.text().trim();
            let label = self.block.label(*size);
            let count = || match text.parse::<u64>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err((
                    row,
                    format!("{label} is a whole number above 0, not {text:?}"),
                )),
            };
            match size {
                Size::Width => sizes.width = count()?,
                Size::Heads => sizes.heads = count()?,
                Size::KeyDim => sizes.key_dim = count()?,
                Size::FeedForward => sizes.ff = count()?,
                Size::Out => sizes.out = count()?,
                Size::Dropout => {
                    sizes.dropout = text
                        .parse::<f64>()
                        .ok()
                        .filter(|r| (0.0..1.0).contains(r))
                        .ok_or((
                            row,
                            format!("{label} is a rate from 0 up to 1, not {text:?}"),
                        ))?;
                }
                Size::Memory => sizes.memory = text.to_string(),
            }
        }
        Ok(sizes)
    }

    /// The design with the block inserted, or why it does not build there.
    fn inserted(&self, design: &Design, sizes: &Sizes) -> Result<(Design, usize), String> {
        let mut after = design.clone();
        let last = after.insert_block(self.at, self.block, sizes, &self.start);
        let summary = Summary::of(&after, Convention::Keras);
        match summary.error {
            Some(e) if (self.at..=last).contains(&e.index) => Err(e.to_string()),
            _ => Ok((after, last)),
        }
    }
}

/// A size's text as the form first shows it.
fn text_of(sizes: &Sizes, size: Size) -> String {
    match size {
        Size::Width => sizes.width.to_string(),
        Size::Heads => sizes.heads.to_string(),
        Size::KeyDim => sizes.key_dim.to_string(),
        Size::FeedForward => sizes.ff.to_string(),
        Size::Out => sizes.out.to_string(),
        Size::Dropout => sizes.dropout.to_string(),
        Size::Memory => sizes.memory.clone(),
    }
}

impl Popup for BlockForm {
    fn handle(mut self, app: &mut App, action: Action) -> (Mode, Vec<Effect>) {
        match action {
            Action::Insert(c) => {
                if let Some(f) = self.fields.get_mut(self.index) {
                    f.insert(c);
                }
            }
            Action::Backspace | Action::Text(_) => {
                let op = match action {
                    Action::Text(op) => op,
                    _ => TextOp::DeleteBack,
                };
                if let Some(f) = self.fields.get_mut(self.index) {
                    f.apply(op);
                }
            }
            Action::PopupUp | Action::PopupDown => {
                move_in(&mut self.index, self.fields.len(), &action);
                if let Some(f) = self.fields.get_mut(self.index) {
                    f.select();
                }
            }
            Action::Confirm => {
                let built = self
                    .read()
                    .and_then(|s| self.inserted(&app.design, &s).map_err(|e| (0, e)));
                match built {
                    Ok((after, last)) => {
                        app.change(app.selected, |d| *d = after);
                        // Rows are laid out anew (a block may add an input): select its last
                        // layer where it now sits.
                        app.selected = app.row_of_layer(last);
                        return (Mode::Normal, Vec::new());
                    }
                    Err(e) => {
                        self.index = e.0;
                        self.error = Some(e);
                        return (Mode::Block(self), Vec::new());
                    }
                }
            }
            _ => {}
        }
        self.error = self.read().err();
        (Mode::Block(self), Vec::new())
    }
}
