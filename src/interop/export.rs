//! The formats a design exports to, shared by `lstm-tui export --to` and the export popup, and
//! the text each one writes.

use clap::ValueEnum;

use crate::caps::escape_json;
use crate::interop::export_keras::keras_code;
use crate::interop::export_keras_graph::{keras_graph_code, keras_graph_json};
use crate::interop::keras_json;
use crate::interop::torch::pytorch_export;
use crate::model::{Design, Precision, Summary};
use crate::report;

/// What an export writes. The doc comments are `export --to`'s help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Runnable Keras 3 code.
    Keras,
    /// A runnable PyTorch nn.Module.
    Pytorch,
    /// Keras' model.to_json() form.
    KerasJson,
    /// The summary as a Markdown table.
    Markdown,
    /// The summary as the documented JSON object.
    Json,
}

/// A design written in one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The file's text.
    pub text: String,
    /// One line per layer the format has no faithful form for (PyTorch only): `gru (GRU): why`.
    pub unsupported: Vec<String>,
}

impl ExportFormat {
    /// The formats the export popup lists, in its order.
    pub const IN_POPUP: [ExportFormat; 5] = [
        Self::Keras,
        Self::Pytorch,
        Self::KerasJson,
        Self::Markdown,
        Self::Json,
    ];

    /// What the popup calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Keras => "Keras code",
            Self::Pytorch => "PyTorch code",
            Self::KerasJson => "Keras JSON",
            Self::Markdown => "Markdown summary",
            Self::Json => "JSON summary",
        }
    }

    /// How `export` names what it wrote.
    pub fn written(self) -> &'static str {
        match self {
            Self::Keras | Self::Pytorch | Self::KerasJson => self.label(),
            Self::Markdown => "the Markdown summary",
            Self::Json => "the JSON summary",
        }
    }

    /// The file an export of the design named `design` goes to when only a folder is given
    /// (the popup's `exports/`, a folder after `-o`): the name made safe as a file name
    /// (anything but letters, digits, `-` and `_` becomes `_`), then [`ExportFormat::suffix`].
    pub fn file_name(self, design: &str) -> String {
        let stem: String = design
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let stem = if stem.is_empty() { "design" } else { &stem };
        format!("{stem}{}", self.suffix())
    }

    /// How [`ExportFormat::file_name`] ends.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Keras => "_keras.py",
            Self::Pytorch => "_torch.py",
            Self::KerasJson => ".json",
            Self::Markdown => ".md",
            Self::Json => "_summary.json",
        }
    }

    /// `design` in this format; the summaries are of `summary`, in its convention.
    pub fn write(self, design: &Design, summary: &Summary) -> Exported {
        let graph = !design.graph.is_chain();
        let text = match self {
            Self::Keras if graph => keras_graph_code(design),
            Self::Keras => keras_code(design),
            Self::Pytorch => {
                let e = pytorch_export(design);
                return Exported {
                    text: e.code,
                    unsupported: e.unsupported,
                };
            }
            Self::KerasJson => {
                let value = if graph {
                    keras_graph_json(design)
                } else {
                    keras_json(design)
                };
                let json = serde_json::to_string_pretty(&value);
                escape_json(&json.unwrap_or_default()).into_owned() + "\n"
            }
            Self::Markdown => report::markdown(summary),
            // The same text as `summary --format json`, written as it is made safe.
            Self::Json => report::json_text_with(summary, Precision::Fp32) + "\n",
        };
        Exported {
            text,
            unsupported: Vec::new(),
        }
    }
}
