//! Embedding as `nn.Embedding`, reading token ids (or, after a float layer, ids kept inside
//! the vocabulary).

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::Embedding;

impl TorchKind for Embedding {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        if self.mask_zero {
            w.init.push("# mask_zero=True: Keras then masks token 0 in the layers that follow (recurrent layers skip those steps); nn.Embedding's padding_idx is not the same (it only zeroes and freezes row 0), so no mask is passed on here".into());
        }
        w.init.push(format!(
            "self.{a} = nn.Embedding({}, {})",
            self.input_dim, self.output_dim
        ));
        w.freeze(&a, self.trainable);
        w.regularizer_notes(
            &a,
            &[(
                "embeddings_regularizer",
                self.embeddings_regularizer.map(|r| r.to_string()),
            )],
        );
        if w.at_input {
            w.forward.push(format!(
                "x = self.{a}(x.long())  # token ids, cast to integers as Keras does"
            ));
        } else {
            w.forward.push(format!(
                    "x = self.{a}(x.long().clamp(0, {}))  # ids computed by a float layer, cast to integers as Keras does and kept inside the vocabulary (nn.Embedding raises on any other id)",
                    self.input_dim.saturating_sub(1)
                ));
        }
    }
}
