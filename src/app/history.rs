//! Undo and redo as differences between designs, so that memory grows with what each edit
//! changed: widening one layer of a 100,000-layer design keeps one layer, not a copy of all.

use std::collections::VecDeque;
use std::mem;

use crate::model::{Design, Layer};

/// Undo keeps at most this many edits; older ones are dropped.
pub const HISTORY_EDITS: usize = 500;

/// Undo keeps edits whose layers add up to about this many bytes; older ones are dropped, but
/// the newest is always kept, however large (opening another design can always be undone).
pub const HISTORY_BYTES: usize = 32 << 20;

/// What turns one design back into another: the run of layers that differs and everything
/// besides the layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The design's fields besides its layers (its `layers` is empty).
    frame: Design,
    /// Where the differing run of layers starts.
    at: usize,
    /// How many layers from `at` on are replaced.
    take: usize,
    /// What replaces them.
    layers: Vec<Layer>,
    /// The selected row at the time.
    selected: usize,
}

impl Edit {
    /// The edit that turns `after` back into `before`, taking the layers it needs out of
    /// `before`.
    fn between(mut before: Design, after: &Design, selected: usize) -> Edit {
        let (old, new) = (&before.layers, &after.layers);
        let at = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let room = old.len().min(new.len()) - at;
        let tail = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        let (old_end, take) = (old.len() - tail, new.len() - at - tail);
        let layers: Vec<Layer> = before.layers.drain(at..old_end).collect();
        // The shared layers are the current design's to keep; the frame holds none.
        before.layers = Vec::new();
        Edit {
            frame: before,
            at,
            take,
            layers,
            selected,
        }
    }

    /// Applies the edit to `design` and returns the edit that takes it back.
    fn apply(mut self, design: &mut Design, selected: usize) -> (Edit, usize) {
        let layers = mem::take(&mut design.layers);
        mem::swap(design, &mut self.frame);
        design.layers = layers;
        let end = (self.at + self.take).min(design.layers.len());
        let at = self.at.min(end);
        let put = self.layers.len();
        let back: Vec<Layer> = design.layers.splice(at..end, self.layers).collect();
        let undo = Edit {
            frame: self.frame,
            at,
            take: put,
            layers: back,
            selected,
        };
        (undo, self.selected)
    }

    /// Roughly what the edit holds, in bytes.
    fn bytes(&self) -> usize {
        mem::size_of::<Edit>() + self.layers.len() * mem::size_of::<Layer>()
    }
}

/// Undo and redo stacks of edits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// Edits that go back to earlier states, oldest first.
    undo: VecDeque<Edit>,
    /// Edits that go forward again, most recent last.
    redo: Vec<Edit>,
    /// What `undo` holds, by [`Edit::bytes`].
    bytes: usize,
}

impl History {
    /// Records that the design changed from `before` to `after` with `selected` selected, and
    /// forgets what was undone.
    pub fn record(&mut self, before: Design, after: &Design, selected: usize) {
        self.redo.clear();
        self.push(Edit::between(before, after, selected));
    }

    /// Takes `design` one edit back; returns the selection to restore, or `None` when there is
    /// nothing to undo.
    pub fn undo(&mut self, design: &mut Design, selected: usize) -> Option<usize> {
        let edit = self.undo.pop_back()?;
        self.bytes = self.bytes.saturating_sub(edit.bytes());
        let (back, selected) = edit.apply(design, selected);
        self.redo.push(back);
        Some(selected)
    }

    /// Takes `design` one undone edit forward again; returns the selection to restore, or
    /// `None` when there is nothing to redo.
    pub fn redo(&mut self, design: &mut Design, selected: usize) -> Option<usize> {
        let edit = self.redo.pop()?;
        let (back, selected) = edit.apply(design, selected);
        self.push(back);
        Some(selected)
    }

    /// How many edits can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Roughly what the undo edits hold, in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn push(&mut self, edit: Edit) {
        self.bytes += edit.bytes();
        self.undo.push_back(edit);
        while self.undo.len() > HISTORY_EDITS || (self.bytes > HISTORY_BYTES && self.undo.len() > 1)
        {
            if let Some(old) = self.undo.pop_front() {
                self.bytes = self.bytes.saturating_sub(old.bytes());
            }
        }
    }
}
