//! Every file in tests/fixtures/torch (real PyTorch) against the PyTorch convention of the
//! equivalent Keras layers: parameter names and shapes in PyTorch's order, totals, the
//! trainable split and the output shape. The fixtures the catalogue has no equivalent for are
//! listed by name in `UNSUPPORTED`; any other fixture that is refused fails the test.

use std::fs;

use crate::common;
use lstm_tui::model::design::VERSION;
use lstm_tui::model::layers::{
    Activation, AlphaDropout, BatchNormalization, Bidirectional, Conv1D, Conv2D, DataFormat, Dense,
    Dropout, Elu, Embedding, Flatten, Gru, Identity, LayerNormalization, LeakyRelu, Lstm,
    MergeMode, Padding, Prelu, Relu, SimpleRnn, Softmax, SpatialDropout2D, SpatialDropout3D,
};
use lstm_tui::model::layers::{
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D, AveragePooling2D,
    AveragePooling3D, MaxPooling3D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D,
    ZeroPadding3D,
};
use lstm_tui::model::layers::{
    AveragePooling1D, GroupNormalization, Interpolation, MaxPooling1D, MaxPooling2D,
    RmsNormalization,
};
use lstm_tui::model::layers::{
    Conv1DTranspose, Conv2DTranspose, Conv3D, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D,
};
use lstm_tui::model::weights::Scope;
use lstm_tui::model::{Budget, Convention, Design, Dtype, Input, Layer, Shape, Summary, Weights};
use serde_json::Value;

/// Why a module has no equivalent in the catalogue.
type Unsupported = String;

/// The fixtures whose module has no equivalent in the catalogue, with why. Each must be refused
/// (a fixture listed here that checks out, or one refused but not listed, fails the test).
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "lstm_proj.json",
        "proj_size > 0 projects the hidden state; Keras' LSTM has no projection",
    ),
    (
        "lstm_proj_2layer_bidirectional.json",
        "proj_size > 0, as above",
    ),
    (
        "multihead_attention.json",
        "MultiheadAttention takes query, key and value: not a Sequential layer",
    ),
    (
        "seq_transformer_block.json",
        "holds a TransformerEncoderLayer",
    ),
    (
        "transformer_encoder_layer.json",
        "attention, feed-forward and two LayerNorms: no single catalogue layer",
    ),
];

fn u(cfg: &Value, key: &str) -> u64 {
    cfg[key].as_u64().unwrap_or(0)
}

fn flag(cfg: &Value, key: &str) -> bool {
    cfg[key].as_bool().unwrap_or(false)
}

/// A PyTorch int-or-list size as the Keras layer's size for `axis`.
fn size(cfg: &Value, key: &str, axis: usize) -> u64 {
    match &cfg[key] {
        Value::Array(a) => a.get(axis).and_then(Value::as_u64).unwrap_or(0),
        v => v.as_u64().unwrap_or(0),
    }
}

/// PyTorch's numeric padding as Keras' padding, when one of Keras' modes is the same.
fn padding(cfg: &Value, rank: usize) -> Result<Padding, Unsupported> {
    let mut all_zero = true;
    let mut all_same = true;
    for axis in 0..rank {
        let p = size(cfg, "padding", axis);
        let (k, d) = (size(cfg, "kernel_size", axis), size(cfg, "dilation", axis));
        all_zero &= p == 0;
        all_same &= 2 * p == d * (k - 1) && size(cfg, "stride", axis) == 1;
    }
    match (all_zero, all_same) {
        (true, _) => Ok(Padding::Valid),
        (_, true) => Ok(Padding::Same),
        _ => Err(format!(
            "padding={} has no Keras padding mode",
            cfg["padding"]
        )),
    }
}

/// A PyTorch int-or-list size for all `N` axes.
fn sizes<const N: usize>(cfg: &Value, key: &str) -> [u64; N] {
    std::array::from_fn(|axis| size(cfg, key, axis))
}

/// `groups` equal to the input channels (and more than one): a depthwise convolution.
fn depthwise(cfg: &Value) -> bool {
    let groups = u(cfg, "groups");
    groups > 1 && groups == u(cfg, "in_channels")
}

/// A grouped `Conv1d`/`Conv2d` with one group per input channel as Keras'
/// `DepthwiseConv1D/2D`: `out_channels / in_channels` filters per channel.
fn depthwise_layer(class: &str, cfg: &Value) -> Result<Layer, Unsupported> {
    let depth_multiplier = u(cfg, "out_channels") / u(cfg, "in_channels");
    let (use_bias, data_format) = (flag(cfg, "bias"), DataFormat::ChannelsFirst);
    Ok(if class == "Conv1d" {
        Layer::DepthwiseConv1D(DepthwiseConv1D {
            kernel_size: size(cfg, "kernel_size", 0),
            strides: size(cfg, "stride", 0),
            dilation_rate: size(cfg, "dilation", 0),
            padding: padding(cfg, 1)?,
            depth_multiplier,
            use_bias,
            data_format,
            ..DepthwiseConv1D::default()
        })
    } else {
        Layer::DepthwiseConv2D(DepthwiseConv2D {
            kernel_size: sizes(cfg, "kernel_size"),
            strides: sizes(cfg, "stride"),
            dilation_rate: sizes(cfg, "dilation"),
            padding: padding(cfg, 2)?,
            depth_multiplier,
            use_bias,
            data_format,
            ..DepthwiseConv2D::default()
        })
    })
}

/// `ConvTranspose{1,2,3}d` without padding as Keras' valid transposed convolution (the same
/// output while the kernel is at least the stride).
fn transposed(class: &str, cfg: &Value) -> Result<Layer, Unsupported> {
    if cfg["padding"] != 0 || cfg["output_padding"] != 0 || u(cfg, "groups") != 1 {
        return Err(
            "padding, output_padding or groups other than Keras' valid transposed convolution"
                .into(),
        );
    }
    let (filters, use_bias, data_format) = (
        u(cfg, "out_channels"),
        flag(cfg, "bias"),
        DataFormat::ChannelsFirst,
    );
    Ok(match class {
        "ConvTranspose1d" => Layer::Conv1DTranspose(Conv1DTranspose {
            filters,
            kernel_size: size(cfg, "kernel_size", 0),
            strides: size(cfg, "stride", 0),
            dilation_rate: size(cfg, "dilation", 0),
            use_bias,
            data_format,
            ..Conv1DTranspose::default()
        }),
        "ConvTranspose2d" => Layer::Conv2DTranspose(Conv2DTranspose {
            filters,
            kernel_size: sizes(cfg, "kernel_size"),
            strides: sizes(cfg, "stride"),
            dilation_rate: sizes(cfg, "dilation"),
            use_bias,
            data_format,
            ..Conv2DTranspose::default()
        }),
        _ => Layer::Conv3DTranspose(Conv3DTranspose {
            filters,
            kernel_size: sizes(cfg, "kernel_size"),
            strides: sizes(cfg, "stride"),
            dilation_rate: sizes(cfg, "dilation"),
            use_bias,
            data_format,
            ..Conv3DTranspose::default()
        }),
    })
}

/// A recurrent module as Keras layers: one per PyTorch layer, wrapped in Bidirectional when
/// PyTorch runs both directions.
fn recurrent(class: &str, cfg: &Value, return_sequences: bool) -> Result<Vec<Layer>, Unsupported> {
    if u(cfg, "proj_size") > 0 {
        return Err("LSTM with proj_size > 0 (a projected hidden state) has no Keras layer; the catalogue's LSTM has no projection".into());
    }
    let h = u(cfg, "hidden_size");
    let bias = flag(cfg, "bias");
    let layers = u(cfg, "num_layers").max(1);
    let mut out = Vec::new();
    for k in 0..layers {
        let seq = return_sequences || k + 1 < layers;
        let one = match class {
            "LSTM" => Layer::Lstm(Lstm {
                units: h,
                use_bias: bias,
                return_sequences: seq,
                ..Lstm::default()
            }),
            "GRU" => Layer::Gru(Gru {
                units: h,
                use_bias: bias,
                return_sequences: seq,
                reset_after: true,
                ..Gru::default()
            }),
            _ => Layer::SimpleRnn(SimpleRnn {
                units: h,
                use_bias: bias,
                return_sequences: seq,
                activation: cfg["nonlinearity"].as_str().unwrap_or("tanh").into(),
                ..SimpleRnn::default()
            }),
        };
        out.push(if flag(cfg, "bidirectional") {
            Layer::Bidirectional(Bidirectional {
                layer: Box::new(one),
                merge_mode: Some(MergeMode::Concat),
                ..Bidirectional::default()
            })
        } else {
            one
        });
    }
    Ok(out)
}

/// The Keras layers equivalent to one PyTorch module (several for a multi-layer RNN, none for
/// helpers that only pick a tensor).
fn equivalent(class: &str, cfg: &Value, rank: usize) -> Result<Vec<Layer>, Unsupported> {
    let channels_first = DataFormat::ChannelsFirst;
    Ok(match class {
        "LSTM" | "GRU" | "RNN" => recurrent(class, cfg, true)?,
        "LSTMCell" | "GRUCell" | "RNNCell" => recurrent(&class.replace("Cell", ""), cfg, false)?,
        "Linear" => vec![Layer::Dense(Dense {
            units: u(cfg, "out_features"),
            use_bias: flag(cfg, "bias"),
            ..Dense::default()
        })],
        // One group per input channel is Keras' depthwise convolution.
        "Conv1d" | "Conv2d" if depthwise(cfg) => vec![depthwise_layer(class, cfg)?],
        "Conv3d" => vec![Layer::Conv3D(Conv3D {
            filters: u(cfg, "out_channels"),
            kernel_size: sizes(cfg, "kernel_size"),
            strides: sizes(cfg, "stride"),
            dilation_rate: sizes(cfg, "dilation"),
            groups: u(cfg, "groups"),
            use_bias: flag(cfg, "bias"),
            padding: padding(cfg, 3)?,
            data_format: channels_first,
            ..Conv3D::default()
        })],
        "ConvTranspose1d" | "ConvTranspose2d" | "ConvTranspose3d" => {
            vec![transposed(class, cfg)?]
        }
        "Conv1d" => vec![Layer::Conv1D(Conv1D {
            filters: u(cfg, "out_channels"),
            kernel_size: size(cfg, "kernel_size", 0),
            strides: size(cfg, "stride", 0),
            dilation_rate: size(cfg, "dilation", 0),
            groups: u(cfg, "groups"),
            use_bias: flag(cfg, "bias"),
            padding: padding(cfg, 1)?,
            data_format: channels_first,
            ..Conv1D::default()
        })],
        "Conv2d" => vec![Layer::Conv2D(Conv2D {
            filters: u(cfg, "out_channels"),
            kernel_size: [size(cfg, "kernel_size", 0), size(cfg, "kernel_size", 1)],
            strides: [size(cfg, "stride", 0), size(cfg, "stride", 1)],
            dilation_rate: [size(cfg, "dilation", 0), size(cfg, "dilation", 1)],
            groups: u(cfg, "groups"),
            use_bias: flag(cfg, "bias"),
            padding: padding(cfg, 2)?,
            data_format: channels_first,
            ..Conv2D::default()
        })],
        "Embedding" => vec![Layer::Embedding(Embedding {
            input_dim: u(cfg, "num_embeddings"),
            output_dim: u(cfg, "embedding_dim"),
            ..Embedding::default()
        })],
        "BatchNorm1d" | "BatchNorm2d" | "BatchNorm3d" => {
            let affine = flag(cfg, "affine");
            vec![Layer::BatchNormalization(BatchNormalization {
                axis: 1,
                center: affine,
                scale: affine,
                ..BatchNormalization::default()
            })]
        }
        "LayerNorm" => {
            let affine = flag(cfg, "elementwise_affine");
            vec![Layer::LayerNormalization(LayerNormalization {
                scale: affine,
                center: affine && flag(cfg, "bias"),
                ..LayerNormalization::default()
            })]
        }
        "GroupNorm" | "RMSNorm" => vec![norm_equivalent(class, cfg)?],
        "PReLU" => vec![prelu(cfg, rank)?],
        "Dropout" => vec![Layer::Dropout(Dropout {
            rate: cfg["p"].as_f64().unwrap_or(0.5),
            ..Dropout::default()
        })],
        "ReLU" | "ReLU6" | "LeakyReLU" | "ELU" | "Softmax" | "AlphaDropout" | "Identity"
        | "Dropout2d" | "Dropout3d" => vec![elementwise_equivalent(class, cfg)?],
        "Flatten" => vec![Layer::Flatten(Flatten::default())],
        "AvgPool1d" | "AvgPool2d" | "AvgPool3d" | "MaxPool1d" | "MaxPool2d" | "MaxPool3d"
        | "AdaptiveAvgPool1d" | "AdaptiveAvgPool2d" | "AdaptiveAvgPool3d" | "AdaptiveMaxPool1d"
        | "AdaptiveMaxPool2d" | "AdaptiveMaxPool3d" | "Upsample" | "ZeroPad1d" | "ZeroPad2d"
        | "ZeroPad3d" => {
            vec![resizing_equivalent(class, cfg)?]
        }
        "TupleItem" => vec![],
        "MultiheadAttention" => {
            return Err("MultiheadAttention has no layer in the catalogue (Keras' MultiHeadAttention is not Sequential-compatible: it takes query, key and value)".into());
        }
        "TransformerEncoderLayer" => {
            return Err("TransformerEncoderLayer (attention + feed-forward + two LayerNorms) has no single layer in the catalogue".into());
        }
        other => {
            return Err(format!(
                "UNKNOWN module class `{other}`: map it to catalogue layers in this test or list why it has no equivalent"
            ));
        }
    })
}

/// `GroupNorm` and `RMSNorm` (channels first for the groups) as the catalogue's layers.
fn norm_equivalent(class: &str, cfg: &Value) -> Result<Layer, Unsupported> {
    if class == "RMSNorm" {
        let axes = cfg["normalized_shape"].as_array().map_or(1, Vec::len);
        if axes != 1 || !flag(cfg, "elementwise_affine") {
            return Err("RMSNorm over several axes or without a scale: Keras' RMSNormalization always learns one over its axes".into());
        }
        return Ok(Layer::RmsNormalization(RmsNormalization::default()));
    }
    let affine = flag(cfg, "affine");
    Ok(Layer::GroupNormalization(GroupNormalization {
        groups: cfg["num_groups"].as_i64().unwrap_or(0),
        axis: 1,
        center: affine,
        scale: affine,
        ..GroupNormalization::default()
    }))
}

/// `nn.PReLU` on a channels-first input of `rank` axes (batch left out) as Keras' PReLU: one
/// slope shares every axis; one per channel shares the axes after the channel axis.
fn prelu(cfg: &Value, rank: usize) -> Result<Layer, Unsupported> {
    let first_shared = match u(cfg, "num_parameters") {
        1 => 1,
        _ if rank >= 2 => 2,
        n => return Err(format!("num_parameters={n} on a rank-{rank} input")),
    };
    Ok(Layer::Prelu(Prelu {
        shared_axes: (first_shared..=rank as u64).collect(),
        ..Prelu::default()
    }))
}

/// A window pooling's stride: PyTorch's `None` is the window, as in Keras.
fn strides<const N: usize>(cfg: &Value) -> Option<[u64; N]> {
    Some(if cfg["stride"].is_null() {
        sizes(cfg, "kernel_size")
    } else {
        sizes(cfg, "stride")
    })
}

/// The activation and dropout modules as the catalogue's layers.
fn elementwise_equivalent(class: &str, cfg: &Value) -> Result<Layer, Unsupported> {
    let channels_first = DataFormat::ChannelsFirst;
    Ok(match class {
        "ReLU" => Layer::Activation(Activation::default()),
        "ReLU6" => Layer::Relu(Relu {
            max_value: Some(6.0),
            ..Relu::default()
        }),
        "LeakyReLU" => Layer::LeakyRelu(LeakyRelu {
            negative_slope: cfg["negative_slope"].as_f64().unwrap_or(0.01),
            ..LeakyRelu::default()
        }),
        "ELU" => Layer::Elu(Elu {
            alpha: cfg["alpha"].as_f64().unwrap_or(1.0),
            ..Elu::default()
        }),
        "Softmax" => Layer::Softmax(Softmax {
            axis: vec![cfg["dim"].as_i64().unwrap_or(-1)],
            ..Softmax::default()
        }),
        "AlphaDropout" => Layer::AlphaDropout(AlphaDropout {
            rate: cfg["p"].as_f64().unwrap_or(0.5),
            ..AlphaDropout::default()
        }),
        "Identity" => Layer::Identity(Identity::default()),
        "Dropout2d" => Layer::SpatialDropout2D(SpatialDropout2D {
            rate: cfg["p"].as_f64().unwrap_or(0.5),
            data_format: channels_first,
            ..SpatialDropout2D::default()
        }),
        "Dropout3d" => Layer::SpatialDropout3D(SpatialDropout3D {
            rate: cfg["p"].as_f64().unwrap_or(0.5),
            data_format: channels_first,
            ..SpatialDropout3D::default()
        }),
        other => return Err(format!("`{other}` is not an activation or dropout module")),
    })
}

/// The pooling, resizing and padding modules (channels first, as PyTorch lays tensors out) as
/// the catalogue's layers.
fn resizing_equivalent(class: &str, cfg: &Value) -> Result<Layer, Unsupported> {
    let cf = DataFormat::ChannelsFirst;
    if [
        "AvgPool1d",
        "AvgPool2d",
        "AvgPool3d",
        "MaxPool1d",
        "MaxPool2d",
        "MaxPool3d",
    ]
    .contains(&class)
        && !(0..3).all(|axis| size(cfg, "padding", axis) == 0)
    {
        return Err(format!(
            "padding={} has no Keras pooling padding",
            cfg["padding"]
        ));
    }
    if ["MaxPool1d", "MaxPool2d"].contains(&class) && size(cfg, "dilation", 0) != 1 {
        return Err("dilation > 1 has no Keras pooling".into());
    }
    Ok(match class {
        "AvgPool1d" => Layer::AveragePooling1D(AveragePooling1D {
            pool_size: size(cfg, "kernel_size", 0),
            strides: strides::<1>(cfg).map(|[s]| s),
            data_format: cf,
            ..AveragePooling1D::default()
        }),
        "MaxPool1d" => Layer::MaxPooling1D(MaxPooling1D {
            pool_size: size(cfg, "kernel_size", 0),
            strides: strides::<1>(cfg).map(|[s]| s),
            data_format: cf,
            ..MaxPooling1D::default()
        }),
        "MaxPool2d" => Layer::MaxPooling2D(MaxPooling2D {
            pool_size: sizes(cfg, "kernel_size"),
            strides: strides(cfg),
            data_format: cf,
            ..MaxPooling2D::default()
        }),
        "AvgPool2d" => Layer::AveragePooling2D(AveragePooling2D {
            pool_size: sizes(cfg, "kernel_size"),
            strides: strides(cfg),
            data_format: cf,
            ..AveragePooling2D::default()
        }),
        "AvgPool3d" => Layer::AveragePooling3D(AveragePooling3D {
            pool_size: sizes(cfg, "kernel_size"),
            strides: strides(cfg),
            data_format: cf,
            ..AveragePooling3D::default()
        }),
        "MaxPool3d" => Layer::MaxPooling3D(MaxPooling3D {
            pool_size: sizes(cfg, "kernel_size"),
            strides: strides(cfg),
            data_format: cf,
            ..MaxPooling3D::default()
        }),
        _ => adaptive_or_resizing(class, cfg)?,
    })
}

/// The adaptive pools, Upsample and ZeroPad as the catalogue's layers (channels first).
fn adaptive_or_resizing(class: &str, cfg: &Value) -> Result<Layer, Unsupported> {
    let cf = DataFormat::ChannelsFirst;
    // ZeroPad's list runs from the last axis backwards: (left, right, top, bottom, ...).
    let pads = |n: usize| -> Vec<[u64; 2]> {
        (0..n)
            .rev()
            .map(|axis| {
                [
                    size(cfg, "padding", 2 * axis),
                    size(cfg, "padding", 2 * axis + 1),
                ]
            })
            .collect()
    };
    Ok(match class {
        "AdaptiveAvgPool1d" => Layer::AdaptiveAveragePooling1D(AdaptiveAveragePooling1D {
            output_size: size(cfg, "output_size", 0),
            data_format: cf,
            ..AdaptiveAveragePooling1D::default()
        }),
        "AdaptiveAvgPool2d" => Layer::AdaptiveAveragePooling2D(AdaptiveAveragePooling2D {
            output_size: sizes(cfg, "output_size"),
            data_format: cf,
            ..AdaptiveAveragePooling2D::default()
        }),
        "AdaptiveAvgPool3d" => Layer::AdaptiveAveragePooling3D(AdaptiveAveragePooling3D {
            output_size: sizes(cfg, "output_size"),
            data_format: cf,
            ..AdaptiveAveragePooling3D::default()
        }),
        "AdaptiveMaxPool1d" => Layer::AdaptiveMaxPooling1D(AdaptiveMaxPooling1D {
            output_size: size(cfg, "output_size", 0),
            data_format: cf,
            ..AdaptiveMaxPooling1D::default()
        }),
        "AdaptiveMaxPool2d" => Layer::AdaptiveMaxPooling2D(AdaptiveMaxPooling2D {
            output_size: sizes(cfg, "output_size"),
            data_format: cf,
            ..AdaptiveMaxPooling2D::default()
        }),
        "AdaptiveMaxPool3d" => Layer::AdaptiveMaxPooling3D(AdaptiveMaxPooling3D {
            output_size: sizes(cfg, "output_size"),
            data_format: cf,
            ..AdaptiveMaxPooling3D::default()
        }),
        "Upsample" => upsample(cfg)?,
        "ZeroPad1d" => Layer::ZeroPadding1D(ZeroPadding1D {
            padding: pads(1)[0],
            data_format: cf,
            ..ZeroPadding1D::default()
        }),
        "ZeroPad2d" => {
            let p = pads(2);
            Layer::ZeroPadding2D(ZeroPadding2D {
                padding: [p[0], p[1]],
                data_format: cf,
                ..ZeroPadding2D::default()
            })
        }
        _ => {
            let p = pads(3);
            Layer::ZeroPadding3D(ZeroPadding3D {
                padding: [p[0], p[1], p[2]],
                data_format: cf,
                ..ZeroPadding3D::default()
            })
        }
    })
}
/// `Upsample` by whole factors (channels first) as Keras' UpSampling2D/3D.
fn upsample(cfg: &Value) -> Result<Layer, Unsupported> {
    let cf = DataFormat::ChannelsFirst;
    let scale = |axis: usize| match &cfg["scale_factor"] {
        Value::Array(a) => a.get(axis).and_then(Value::as_f64),
        v => v.as_f64(),
    };
    // Bilinear without align_corners samples at half-pixel centres, as Keras' does.
    let interpolation = match cfg["mode"].as_str() {
        Some("nearest") => Interpolation::Nearest,
        Some("bilinear") if !flag(cfg, "align_corners") => Interpolation::Bilinear,
        _ => {
            return Err(format!(
                "mode={} (align_corners={}) is not one of Keras' UpSampling modes",
                cfg["mode"], cfg["align_corners"]
            ));
        }
    };
    let factors: Vec<u64> = (0..3)
        .map_while(scale)
        .filter(|f| f.fract() == 0.0 && *f >= 1.0)
        .map(|f| f as u64)
        .collect();
    Ok(match factors.as_slice() {
        [h, w] => Layer::UpSampling2D(UpSampling2D {
            size: [*h, *w],
            data_format: cf,
            interpolation,
            ..UpSampling2D::default()
        }),
        [d, h, w] if interpolation == Interpolation::Nearest => Layer::UpSampling3D(UpSampling3D {
            size: [*d, *h, *w],
            data_format: cf,
            ..UpSampling3D::default()
        }),
        _ => {
            return Err(format!(
                "scale_factor={} is not whole factors for 2 or 3 axes",
                cfg["scale_factor"]
            ));
        }
    })
}

/// One module's parameters as PyTorch names them, from our layers' PyTorch-convention weights:
/// stacked layer k of a multi-layer RNN is PyTorch's `_l{k}`, a backward copy is `_reverse`,
/// and cells drop the layer suffix.
fn torch_weights(
    layers: &[Layer],
    inputs: &[Shape],
    prefix: &str,
    is_cell: bool,
) -> Result<Vec<(String, Vec<u64>)>, String> {
    let mut out = Vec::new();
    for (k, (layer, input)) in layers.iter().zip(inputs).enumerate() {
        let mut err = None;
        layer
            .kind()
            .weights(
                input,
                Convention::PyTorch,
                &mut Weights::each(&mut |w| {
                    let mut name = w.name.to_string();
                    if is_cell {
                        name = name.replace("_l0", "");
                    } else {
                        name = name.replace("_l0", &format!("_l{k}"));
                    }
                    if w.scope == Scope::Backward {
                        name.push_str("_reverse");
                    }
                    let mut shape = w.shape().to_vec();
                    if matches!(layer, Layer::Prelu(_)) {
                        // The export's KerasPReLU keeps Keras' `alpha` (size 1 on shared axes);
                        // nn.PReLU holds the same slopes as a flat `weight`.
                        name = name.replace("alpha", "weight");
                        shape = vec![shape.iter().product()];
                    }
                    out.push((format!("{prefix}{name}"), shape));
                }),
            )
            .unwrap_or_else(|e| err = Some(e.to_string()));
        if let Some(e) = err {
            return Err(e);
        }
    }
    Ok(out)
}

struct Case {
    file: String,
    fixture: Value,
    /// `expected.per_parameter` in the file's order (PyTorch's), which a JSON object loses.
    per_parameter: Vec<(String, Vec<u64>)>,
}

/// A JSON object read as a list of entries, keeping their order.
struct Ordered(Vec<(String, Vec<u64>)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of parameter shapes")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry::<String, Vec<u64>>()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(serde::Deserialize)]
struct Expected {
    per_parameter: Ordered,
}

#[derive(serde::Deserialize)]
struct OrderedFixture {
    expected: Expected,
}

#[test]
fn torch_fixtures_match_pytorch_convention() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut refused = Vec::new();
    for path in common::fixture_files("tests/fixtures/torch", "json") {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let parsed = fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                let fixture: Value = serde_json::from_str(&t).map_err(|e| e.to_string())?;
                let ordered: OrderedFixture =
                    serde_json::from_str(&t).map_err(|e| e.to_string())?;
                Ok((fixture, ordered.expected.per_parameter.0))
            });
        let (fixture, per_parameter) = match parsed {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{file}: unreadable: {e}"));
                continue;
            }
        };
        let listed = UNSUPPORTED.iter().any(|(f, _)| *f == file);
        match check(&Case {
            file: file.clone(),
            fixture,
            per_parameter,
        }) {
            Ok(()) if listed => failures.push(format!(
                "{file}: listed in UNSUPPORTED but now checks out: take it off the list"
            )),
            Ok(()) => checked += 1,
            Err(Outcome::Unsupported(why)) if listed => refused.push(format!("{file}: {why}")),
            Err(Outcome::Unsupported(why)) => failures.push(format!(
                "{file}: refused ({why}); map it to catalogue layers, or list it in UNSUPPORTED"
            )),
            Err(Outcome::Failed(problems)) => {
                failures.extend(problems.into_iter().map(|p| format!("{file}: {p}")))
            }
        }
    }
    println!(
        "{checked} PyTorch fixtures checked; {} without an equivalent:",
        refused.len()
    );
    for r in &refused {
        println!("  {r}");
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every listed fixture exists and was refused; every other one was checked.
    assert_eq!(refused.len(), UNSUPPORTED.len(), "{refused:?}");
    common::assert_ran_every_fixture("tests/fixtures/torch", "json", checked + refused.len());
}

enum Outcome {
    Unsupported(Unsupported),
    Failed(Vec<String>),
}

#[expect(
    clippy::too_many_lines,
    reason = "one fixture's check, from its JSON to the compared counts, in order"
)]
fn check(case: &Case) -> Result<(), Outcome> {
    let f = &case.fixture;
    let module = &f["module"];
    let class = module["class"].as_str().unwrap_or("");
    let input_shape: Vec<u64> = f["input_shape"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let children: Vec<(String, Value)> = if class == "Sequential" {
        module["layers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|l| {
                (
                    l["class"].as_str().unwrap_or("").to_string(),
                    l["config"].clone(),
                )
            })
            .collect()
    } else {
        vec![(class.to_string(), module["config"].clone())]
    };

    // Batch and time axes of the input, as PyTorch lays them out.
    let first = children.first().map(|c| c.0.as_str()).unwrap_or("");
    let first_cfg = children.first().map(|c| &c.1).cloned().unwrap_or_default();
    let is_rnn = |c: &str| matches!(c, "LSTM" | "GRU" | "RNN");
    let is_cell = first.ends_with("Cell");
    let batch_axis = if is_rnn(first) && !flag(&first_cfg, "batch_first") {
        1
    } else {
        0
    };
    let mut dims: Vec<u64> = input_shape.clone();
    if is_cell {
        // One timestep of a cell is a one-step sequence of the recurrent layer.
        dims = vec![1, input_shape.get(1).copied().unwrap_or(0)];
    } else if dims.len() > batch_axis {
        dims.remove(batch_axis);
    }
    let dtype = if f["input_dtype"] == "int64" {
        Dtype::Int32
    } else {
        Dtype::Float32
    };

    let mut layers = Vec::new();
    let mut per_child = Vec::new();
    for (i, (child, cfg)) in children.iter().enumerate() {
        if child == "LastTimestep" {
            // x[:, -1] after an RNN: the RNN's return_sequences=False.
            match layers.last_mut() {
                Some(Layer::Lstm(l)) => l.return_sequences = false,
                Some(Layer::Gru(l)) => l.return_sequences = false,
                Some(Layer::SimpleRnn(l)) => l.return_sequences = false,
                Some(Layer::Bidirectional(b)) => match b.layer.as_mut() {
                    Layer::Lstm(l) => l.return_sequences = false,
                    Layer::Gru(l) => l.return_sequences = false,
                    Layer::SimpleRnn(l) => l.return_sequences = false,
                    _ => {}
                },
                _ => {
                    return Err(Outcome::Failed(vec![format!(
                        "LastTimestep at {i} follows no recurrent layer"
                    )]));
                }
            }
            continue;
        }
        let mut eq = equivalent(child, cfg, dims.len()).map_err(Outcome::Unsupported)?;
        let frozen = module["frozen_parameters"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
        if frozen {
            for l in &mut eq {
                if let Layer::Embedding(e) = l {
                    e.trainable = false;
                }
            }
        }
        per_child.push((i, layers.len(), eq.len(), child.ends_with("Cell")));
        layers.extend(eq);
    }

    let design = Design {
        version: VERSION,
        name: case.file.clone(),
        input: Input {
            shape: Shape::known(&dims),
            dtype,
        },
        layers,
        budget: Budget::default(),
        graph: Default::default(),
    };
    let summary = Summary::of(&design, Convention::PyTorch);
    let mut problems = Vec::new();
    if let Some(e) = &summary.error {
        problems.push(format!("the equivalent Keras stack does not build: {e}"));
        return Err(Outcome::Failed(problems));
    }
    let expected = &f["expected"];
    let total = summary.totals.total().ok();
    if Some(expected["params"].as_u64().unwrap_or(u64::MAX)) != total {
        problems.push(format!(
            "params {total:?} (expected {})",
            expected["params"]
        ));
    }
    if expected["trainable"].as_u64() != Some(summary.totals.trainable) {
        problems.push(format!(
            "trainable {} (expected {})",
            summary.totals.trainable, expected["trainable"]
        ));
    }
    if expected["non_trainable"].as_u64() != Some(summary.totals.non_trainable) {
        problems.push(format!(
            "non_trainable {} (expected {})",
            summary.totals.non_trainable, expected["non_trainable"]
        ));
    }

    // Parameter names and shapes, in PyTorch's order.
    let inputs: Vec<Shape> = summary.rows.iter().map(|r| r.input.clone()).collect();
    let mut got = Vec::new();
    for (child_index, start, len, cell) in per_child {
        let prefix = if class == "Sequential" {
            format!("{child_index}.")
        } else {
            String::new()
        };
        match torch_weights(
            &design.layers[start..start + len],
            &inputs[start..start + len],
            &prefix,
            cell,
        ) {
            Ok(w) => got.extend(w),
            Err(e) => problems.push(format!("weights: {e}")),
        }
    }
    let want = &case.per_parameter;
    if &got != want {
        problems.push(format!("parameters {got:?} (expected {want:?})"));
    }

    // Output shape, without the batch axis (and, for a time-major RNN, where PyTorch puts it).
    if let Some(last) = summary.rows.last() {
        let mut want_out: Vec<Option<u64>> = expected["output_shape"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(Value::as_u64)
            .collect();
        let out_batch_axis = if is_rnn(children.last().map(|c| c.0.as_str()).unwrap_or(""))
            && !flag(
                &children.last().map(|c| c.1.clone()).unwrap_or_default(),
                "batch_first",
            )
            && class != "Sequential"
        {
            1
        } else {
            0
        };
        if want_out.len() > out_batch_axis {
            want_out.remove(out_batch_axis);
        }
        let got_out = last.output.single().map(|s| s.0.to_vec());
        if got_out.as_ref() != Some(&want_out) {
            problems.push(format!(
                "output shape {got_out:?} (expected {want_out:?} after the batch axis)"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Outcome::Failed(problems))
    }
}
