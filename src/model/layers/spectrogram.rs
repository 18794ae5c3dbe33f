//! Audio front ends: `STFTSpectrogram` computes a spectrogram with two convolution kernels
//! (the windowed Fourier basis) that Keras keeps as weights, trainable unless told otherwise;
//! `MelSpectrogram` computes a mel spectrogram with fixed arithmetic and no weights.

use serde::{Deserialize, Serialize};

use super::conv::{conv_len, known_channels};
use super::{
    Catalogued, DataFormat, Keras, KerasFacts, Kind, Knob, KnobValue, MaskUse, NONE_NOTE, Padding,
    is_true, positive, yes,
};
use crate::model::compute::{Tally, known, single, zero};
use crate::model::error::LayerError;
use crate::model::explain::{Explanation, thousands};
use crate::model::shape::{Output, Shape};
use crate::model::weights::{Convention, Sink, Weight, mul};

/// What `STFTSpectrogram` returns of each frame's Fourier transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StftMode {
    /// The log of the magnitude.
    #[default]
    Log,
    /// The magnitude, √(real² + imaginary²).
    Magnitude,
    /// The power spectral density: the power, with the bins between the first and last
    /// counted twice.
    Psd,
    /// The real part only: Keras makes only the real kernel.
    Real,
    /// The imaginary part only: Keras makes only the imaginary kernel.
    Imag,
    /// The phase angle.
    Angle,
    /// The real and the imaginary parts side by side: twice the frequency bins.
    Stft,
}

impl StftMode {
    /// The kernels the mode needs: the real one unless only the imaginary part is wanted, and
    /// the other way round.
    fn kernels(self) -> &'static [&'static str] {
        match self {
            StftMode::Real => &["real_kernel"],
            StftMode::Imag => &["imag_kernel"],
            _ => &["real_kernel", "imag_kernel"],
        }
    }

    /// Keras' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StftMode::Log => "log",
            StftMode::Magnitude => "magnitude",
            StftMode::Psd => "psd",
            StftMode::Real => "real",
            StftMode::Imag => "imag",
            StftMode::Angle => "angle",
            StftMode::Stft => "stft",
        }
    }
}

/// How the window is scaled into the kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scaling {
    /// Divided by √(Σ window²): a power spectral density.
    Density,
    /// Divided by Σ |window|: an amplitude spectrum.
    Spectrum,
}

/// The window applied to each frame: a name SciPy's `get_window` knows, or its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Window {
    /// A window function by name (`hann`, `hamming`, ...).
    Named(String),
    /// The window's values, one per sample of a frame.
    Values(Vec<f64>),
}

/// The window names SciPy's `get_window` takes without a parameter, aliases included: Keras
/// checks a name with it in the constructor.
const WINDOWS: &[&str] = &[
    "boxcar",
    "box",
    "ones",
    "rect",
    "rectangular",
    "triang",
    "triangle",
    "tri",
    "blackman",
    "black",
    "blk",
    "hamming",
    "hamm",
    "ham",
    "hann",
    "han",
    "bartlett",
    "bart",
    "brt",
    "flattop",
    "flat",
    "flt",
    "parzen",
    "parz",
    "par",
    "bohman",
    "bman",
    "bmn",
    "blackmanharris",
    "blackharr",
    "bkh",
    "nuttall",
    "nutl",
    "nut",
    "barthann",
    "brthan",
    "bth",
    "cosine",
    "halfcosine",
    "exponential",
    "poisson",
    "tukey",
    "tuk",
    "taylor",
    "taylorwin",
    "lanczos",
    "sinc",
];

/// `keras.layers.STFTSpectrogram`: a short-time Fourier transform of each channel of a
/// signal `(batch, time, channels)`, computed as a strided convolution with the windowed
/// Fourier basis, which Keras keeps as weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StftSpectrogram {
    /// What the layer returns of each transform.
    pub mode: StftMode,
    /// Samples per frame: the kernels' length.
    pub frame_length: u64,
    /// Samples between frames; `None`: half a frame.
    pub frame_step: Option<u64>,
    /// Samples of each Fourier transform; `None`: the smallest power of two that holds a
    /// frame. It gives `fft_length // 2 + 1` frequency bins.
    pub fft_length: Option<u64>,
    /// The window applied to each frame; `None`: none.
    pub window: Option<Window>,
    /// A periodic window (for spectral analysis) instead of a symmetric one.
    pub periodic: bool,
    /// How the window is scaled; `None`: not at all.
    pub scaling: Option<Scaling>,
    /// `valid` (frames inside the signal) or `same` (one frame per step).
    pub padding: Padding,
    /// Keeps channels apart on their own axis, as an image model wants them, instead of
    /// joining them with the frequency bins.
    pub expand_dims: bool,
    /// Where the channel axis is.
    pub data_format: DataFormat,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keras' `trainable`: `false` keeps the kernels an exact Fourier transform (they then
    /// count as non-trainable).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for StftSpectrogram {
    fn default() -> Self {
        Self {
            mode: StftMode::Log,
            frame_length: 256,
            frame_step: None,
            fft_length: None,
            window: Some(Window::Named("hann".into())),
            periodic: false,
            scaling: Some(Scaling::Density),
            padding: Padding::Valid,
            expand_dims: false,
            data_format: DataFormat::ChannelsLast,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for StftSpectrogram {
    const FACTS: KerasFacts = KerasFacts {
        positional: &[
            "mode",
            "frame_length",
            "frame_step",
            "fft_length",
            "window",
            "periodic",
            "scaling",
            "padding",
            "expand_dims",
            "data_format",
        ],
        mask: MaskUse::Drops,
        ..KerasFacts::PLAIN
    };
}

impl StftSpectrogram {
    /// Samples between frames, as Keras resolves it.
    pub fn step(&self) -> u64 {
        self.frame_step.unwrap_or(self.frame_length / 2)
    }

    /// Samples of each Fourier transform, as Keras resolves it.
    pub fn fft(&self) -> u64 {
        // A frame past the largest power of two gets a transform too large to count.
        self.fft_length.unwrap_or_else(|| {
            self.frame_length
                .max(1)
                .checked_next_power_of_two()
                .unwrap_or(u64::MAX)
        })
    }

    /// Frequency bins of one transform (each kernel's output channels).
    pub fn bins(&self) -> u64 {
        self.fft() / 2 + 1
    }

    /// Keras' constructor's checks, and its initializer's (the window fits a frame).
    fn check(&self) -> Result<(), LayerError> {
        positive("frame_length", self.frame_length)?;
        match self.frame_step {
            Some(s) if s == 0 || s > self.frame_length => {
                return Err(LayerError::field(
                    "frame_step",
                    format!(
                        "{s} is not a positive number up to frame_length={}: give one from 1 to {}",
                        self.frame_length, self.frame_length
                    ),
                ));
            }
            None if self.step() == 0 => {
                return Err(LayerError::field(
                    "frame_step",
                    "half of frame_length=1 is 0, which Keras cannot step by: give frame_step=1",
                ));
            }
            _ => {}
        }
        if let Some(fft) = self.fft_length.filter(|&f| f < self.frame_length) {
            return Err(LayerError::field(
                "fft_length",
                format!(
                    "{fft} is less than frame_length={}: give at least {}, or None for the next power of two",
                    self.frame_length, self.frame_length
                ),
            ));
        }
        if self.padding == Padding::Causal {
            return Err(LayerError::field(
                "padding",
                "STFTSpectrogram takes \"valid\" or \"same\"",
            ));
        }
        match &self.window {
            Some(Window::Named(name)) if !WINDOWS.contains(&name.as_str()) => {
                Err(LayerError::field(
                    "window",
                    format!(
                        "SciPy has no window {name:?} without parameters: use \"hann\", \"hamming\", \"blackman\", another of get_window's names, or a list of {} values",
                        self.frame_length
                    ),
                ))
            }
            Some(Window::Values(v)) if v.len() as u64 != self.frame_length => {
                Err(LayerError::field(
                    "window",
                    format!(
                        "has {} values; Keras needs one per sample of a frame: give {}",
                        v.len(),
                        self.frame_length
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// The frames a signal of `len` samples gives; refused when a frame does not fit in it
    /// without padding.
    fn frames(&self, len: u64, input: &Shape) -> Result<u64, LayerError> {
        conv_len(len, self.frame_length, self.step(), 1, self.padding)?.ok_or_else(|| {
            LayerError::shape(
                format!(
                    "at least frame_length={} samples (padding=\"valid\")",
                    self.frame_length
                ),
                input,
                "use padding=\"same\", a shorter frame_length, or a longer signal",
            )
        })
    }

    /// The output bins per channel: twice the frequency bins when the real and imaginary
    /// parts are both returned.
    fn out_bins(&self) -> Result<u64, LayerError> {
        let bins = self.bins();
        if self.mode == StftMode::Stft {
            mul(&[2, bins])
        } else {
            Ok(bins)
        }
    }
}

impl Kind for StftSpectrogram {
    fn auto_name(&self) -> &'static str {
        "stft_spectrogram"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        self.check()?;
        if input.ndim() != 3 {
            return Err(LayerError::shape(
                "3-D input (batch, time, channels)",
                input,
                "STFTSpectrogram transforms signals: give it (time, channels), e.g. Reshape((samples, 1)) for a mono signal",
            ));
        }
        let (time, channels) = self.data_format.split(input);
        let channels = known_channels(channels, input, self.class())?;
        let frames = time
            .first()
            .copied()
            .flatten()
            .map(|len| self.frames(len, input))
            .transpose()?;
        let bins = self.out_bins()?;
        let dims = match (self.expand_dims, self.data_format) {
            (true, DataFormat::ChannelsLast) => vec![frames, Some(bins), Some(channels)],
            (true, DataFormat::ChannelsFirst) => vec![Some(channels), frames, Some(bins)],
            (false, format) => {
                let joined = Some(mul(&[channels, bins])?);
                return Ok(Output::One(format.join(vec![frames], joined)));
            }
        };
        Ok(Output::One(Shape(dims.into())))
    }
    fn weights(&self, _: &Shape, _: Convention, sink: Sink) -> Result<(), LayerError> {
        let shape = [self.frame_length, 1, self.bins()];
        for name in self.mode.kernels() {
            sink.put(Weight::new(name, &shape));
        }
        Ok(())
    }
    fn explain(&self, _: &Shape, convention: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        let fft = self.fft();
        let bins = self.bins();
        e.step(
            format!(
                "frequency bins of a {fft}-sample transform (fft_length{})",
                if self.fft_length.is_none() {
                    ": the next power of two from frame_length"
                } else {
                    ""
                }
            ),
            format!("{fft} // 2 + 1"),
            bins,
        );
        let kernel = mul(&[self.frame_length, bins])?;
        e.step(
            "one kernel: a frame's samples × 1 × the bins (the window times cos or sin at each frequency)",
            format!("{} × 1 × {}", thousands(self.frame_length), thousands(bins)),
            kernel,
        );
        let kernels = self.mode.kernels();
        let what = match self.mode {
            StftMode::Real => "the real kernel only (mode=\"real\")".to_string(),
            StftMode::Imag => "the imaginary kernel only (mode=\"imag\")".to_string(),
            mode => format!(
                "a real and an imaginary kernel (mode=\"{}\" needs both)",
                mode.as_str()
            ),
        };
        e.step(
            what,
            format!("{} × {}", kernels.len(), thousands(kernel)),
            mul(&[kernels.len() as u64, kernel])?,
        );
        e.note("The same kernels transform every input channel, so the channel count changes the output, not the weights.");
        e.note(if self.trainable {
            "Keras starts the kernels as an exact Fourier transform and then trains them like any weight: pass trainable=False to keep the STFT exact (they then count as non-trainable)."
        } else {
            "trainable=False keeps the kernels an exact Fourier transform."
        });
        if convention == Convention::PyTorch {
            e.note("torch.stft has no weights; the PyTorch export keeps the kernels as parameters, as Keras does, so the counts agree.");
        }
        e.note(NONE_NOTE);
        Ok(e)
    }
    fn macs(&self, input: &Shape, output: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        let (time, channels) = self.data_format.split(input);
        let channels = known_channels(channels, input, self.class())?;
        let per_frame = tally.step(
            || "one frame of one channel: its samples × the frequency bins, per kernel".into(),
            || {
                format!(
                    "{} × {}",
                    thousands(self.frame_length),
                    thousands(self.bins())
                )
            },
            mul(&[self.frame_length, self.bins()])?,
        );
        let out = single(output)?;
        let frames = self.frames(
            known(time.first().copied().flatten(), "signal length", out)?,
            input,
        )?;
        let kernels = self.mode.kernels().len() as u64;
        Ok(tally.step(
            || {
                format!(
                    "{} frames × {channels} channels × {kernels} kernels",
                    thousands(frames)
                )
            },
            || {
                format!(
                    "{} × {channels} × {kernels} × {}",
                    thousands(frames),
                    thousands(per_frame)
                )
            },
            mul(&[frames, channels, kernels, per_frame])?,
        ))
    }
    fn brief(&self) -> String {
        format!(
            "{} {} {}",
            self.class(),
            self.mode.as_str(),
            self.frame_length
        )
    }
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "frame_length",
            value: KnobValue::Count(self.frame_length),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.frame_length = v.max(1);
        }
    }
    name_and_trainable!();
}

/// `keras.layers.MelSpectrogram`: the mel-scaled power spectrogram of a signal
/// `(batch, samples)`, in decibels unless told otherwise; shaped `(mel bins, frames)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MelSpectrogram {
    /// Samples of each Fourier transform.
    pub fft_length: u64,
    /// Samples between frames.
    pub sequence_stride: u64,
    /// Samples per frame; `None`: `fft_length`.
    pub sequence_length: Option<u64>,
    /// The window applied to each frame: `hann`, `hamming`, or `None` for none.
    pub window: Option<String>,
    /// Samples per second of the signal.
    pub sampling_rate: f64,
    /// Mel bands of the output.
    pub num_mel_bins: u64,
    /// The lowest frequency the bands cover, in Hz.
    pub min_freq: f64,
    /// The highest frequency the bands cover, in Hz; `None`: half the sampling rate.
    pub max_freq: Option<f64>,
    /// Converts the power to decibels.
    pub power_to_db: bool,
    /// The range in decibels kept below the loudest value.
    pub top_db: f64,
    /// The power the magnitude is raised to (2: power, 1: magnitude).
    pub mag_exp: f64,
    /// The smallest power before the logarithm.
    pub min_power: f64,
    /// The power that maps to 0 dB.
    pub ref_power: f64,
    /// A name instead of Keras' automatic one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kept for round trips; nothing to freeze.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trainable: bool,
}

impl Default for MelSpectrogram {
    fn default() -> Self {
        Self {
            fft_length: 2048,
            sequence_stride: 512,
            sequence_length: None,
            window: Some("hann".into()),
            sampling_rate: 16000.0,
            num_mel_bins: 128,
            min_freq: 20.0,
            max_freq: None,
            power_to_db: true,
            top_db: 80.0,
            mag_exp: 2.0,
            min_power: 1e-10,
            ref_power: 1.0,
            name: None,
            trainable: true,
        }
    }
}

impl Keras for MelSpectrogram {
    const FACTS: KerasFacts = KerasFacts {
        positional: &[
            "fft_length",
            "sequence_stride",
            "sequence_length",
            "window",
            "sampling_rate",
            "num_mel_bins",
            "min_freq",
            "max_freq",
            "power_to_db",
            "top_db",
            "mag_exp",
            "min_power",
            "ref_power",
        ],
        mask: MaskUse::Drops,
        ..KerasFacts::PLAIN
    };
}

impl MelSpectrogram {
    /// Samples per frame, as Keras resolves it.
    pub fn frame(&self) -> u64 {
        self.sequence_length.unwrap_or(self.fft_length)
    }

    /// The highest frequency the bands cover, as Keras resolves it: half the sampling rate,
    /// rounded down to a whole number, unless given.
    pub fn highest(&self) -> f64 {
        self.max_freq.unwrap_or((self.sampling_rate / 2.0).trunc())
    }

    /// The frames Keras' summary gives `samples`: `(samples + stride + 1) // stride`.
    fn frames(&self, samples: u64) -> Result<u64, LayerError> {
        let sum = samples
            .checked_add(self.sequence_stride)
            .and_then(|s| s.checked_add(1))
            .ok_or(LayerError::Overflow)?;
        Ok(sum / self.sequence_stride)
    }

    /// Keras' constructor's checks, and what its call refuses.
    fn check(&self) -> Result<(), LayerError> {
        positive("fft_length", self.fft_length)?;
        positive("sequence_stride", self.sequence_stride)?;
        positive("num_mel_bins", self.num_mel_bins)?;
        if self.frame() > self.fft_length {
            return Err(LayerError::field(
                "sequence_length",
                format!(
                    "{} is more than fft_length={}: Keras needs fft_length >= sequence_length",
                    self.frame(),
                    self.fft_length
                ),
            ));
        }
        match self.window.as_deref() {
            None | Some("hann" | "hamming") => Ok(()),
            Some(other) => Err(LayerError::field(
                "window",
                format!(
                    "{other:?}: Keras builds the layer but its call takes only \"hann\", \"hamming\" or None"
                ),
            )),
        }
    }
}

impl Kind for MelSpectrogram {
    fn auto_name(&self) -> &'static str {
        "mel_spectrogram"
    }
    fn output(&self, input: &Shape) -> Result<Output, LayerError> {
        self.check()?;
        let [samples] = input.0.as_slice() else {
            return Err(LayerError::shape(
                "2-D input (batch, samples)",
                input,
                "MelSpectrogram takes a mono signal of samples: Reshape it to (samples,), or use STFTSpectrogram for several channels",
            ));
        };
        let frames = samples.map(|n| self.frames(n)).transpose()?;
        Ok(Output::One(Shape(
            vec![Some(self.num_mel_bins), frames].into(),
        )))
    }
    fn weights(&self, _: &Shape, _: Convention, _: Sink) -> Result<(), LayerError> {
        Ok(())
    }
    fn explain(&self, input: &Shape, _: Convention) -> Result<Explanation, LayerError> {
        let mut e = Explanation::default();
        e.step("MelSpectrogram has no weights", "0", 0);
        e.note("Its Fourier transform, mel filter bank and decibel scale are fixed arithmetic: it learns nothing, so it has 0 parameters.");
        if let Some(Some(samples)) = input.0.first() {
            let frames = self.frames(*samples)?;
            e.note(format!(
                "Frames: (samples + sequence_stride + 1) // sequence_stride = ({samples} + {s} + 1) // {s} = {frames}, as Keras' summary computes them; its call makes 1 + samples // sequence_stride, one fewer when samples + 1 is a multiple of the stride.",
                s = self.sequence_stride
            ));
        }
        e.note(format!(
            "The output is (mel bins, frames): {} bands first, time last. A recurrent layer after it reads the mel bands as timesteps; put Permute((2, 1)) before it to run over time.",
            self.num_mel_bins
        ));
        e.note(NONE_NOTE);
        Ok(e)
    }
    fn macs(&self, _: &Shape, _: &Output, tally: &mut Tally) -> Result<u64, LayerError> {
        Ok(zero(tally, self.class(), || {
            "The Fourier transform and the mel filter bank are fixed arithmetic, not learned weights.".into()
        }))
    }
    fn brief(&self) -> String {
        format!("{} {} mel", self.class(), self.num_mel_bins)
    }
    fn knob(&self) -> Option<Knob> {
        Some(Knob {
            field: "num_mel_bins",
            value: KnobValue::Count(self.num_mel_bins),
        })
    }
    fn set_knob(&mut self, value: KnobValue) {
        if let KnobValue::Count(v) = value {
            self.num_mel_bins = v.max(1);
        }
    }
    name_and_trainable!();
}
