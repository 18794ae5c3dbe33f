//! Embedding as `nn.Embedding`, reading token ids (or, after a float layer, ids kept inside
//! the vocabulary); ReversibleEmbedding as the same, plus its reverse table when untied.

use super::{TorchKind, Writer};
use crate::model::Row;
use crate::model::layers::{Embedding, ReversibleEmbedding};

impl TorchKind for Embedding {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        if self.mask_zero {
            w.init.push("# mask_zero=True: Keras then masks token 0 in the layers that follow (recurrent layers skip those steps); forward computes that mask and hands it to them (nn.Embedding's padding_idx is not the same: it only zeroes and freezes row 0)".into());
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

impl TorchKind for ReversibleEmbedding {
    fn write(&self, w: &mut Writer, row: &Row) {
        let a = w.attr(&row.name);
        w.init.push(format!(
            "self.{a} = nn.Embedding({}, {})",
            self.input_dim, self.output_dim
        ));
        if !self.tie_weights {
            w.init.push(format!(
                "self.{a}_reverse = nn.Parameter(torch.empty({}, {}).uniform_(-0.05, 0.05))  # tie_weights=False: the table of the reverse projection (vectors to token logits), which a Sequential model never runs",
                self.output_dim, self.input_dim
            ));
        }
        w.freeze(&a, self.trainable);
        if !self.trainable && !self.tie_weights {
            w.init
                .push(format!("self.{a}_reverse.requires_grad_(False)"));
        }
        w.regularizer_notes(
            &a,
            &[(
                "embeddings_regularizer",
                self.embeddings_regularizer.map(|r| r.to_string()),
            )],
        );
        w.forward.push(format!(
            "x = self.{a}(x.long())  # token ids, cast to integers as Keras does"
        ));
    }
}
