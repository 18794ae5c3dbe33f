//! STFTSpectrogram as a module holding Keras' two kernels, made as Keras' `STFT` initializer
//! makes them, and MelSpectrogram as Keras' arithmetic (centred frames, the HTK mel filter
//! bank, decibels): PyTorch's own `torch.stft` and torchaudio scale and place frames
//! differently.

use super::{TorchKind, Writer, py_float, py_floats};
use crate::interop::export_keras::python_str;
use crate::model::Row;
use crate::model::layers::{DataFormat, MelSpectrogram, Padding, Scaling, StftSpectrogram, Window};

/// The module STFTSpectrogram becomes, and the window it is made with.
pub(super) const KERAS_STFT: &str = r#"def keras_window(name, n, periodic):
    """SciPy's get_window(name, n, fftbins=periodic), which Keras' STFT kernels are made with."""
    made = {"hann": torch.hann_window, "hamming": torch.hamming_window,
            "blackman": torch.blackman_window, "bartlett": torch.bartlett_window}
    if name in made:
        return made[name](n, periodic=periodic, dtype=torch.float64)
    if name == "boxcar":
        return torch.ones(n, dtype=torch.float64)
    import scipy.signal  # the other windows, as Keras gets them

    return torch.tensor(scipy.signal.get_window(name, n, fftbins=periodic))


class KerasSTFTSpectrogram(nn.Module):
    """Keras' STFTSpectrogram: every channel convolved with the windowed Fourier basis, which
    Keras keeps as trainable weights real_kernel and imag_kernel of shape (frame, 1, bins)."""

    def __init__(self, mode, frame, step, fft, window, periodic, scaling, padding, expand_dims, channels_first):
        super().__init__()
        self.mode, self.frame, self.step, self.padding = mode, frame, step, padding
        self.expand_dims, self.channels_first = expand_dims, channels_first
        bins = fft // 2 + 1
        freq = torch.arange(bins, dtype=torch.float32).reshape(1, 1, bins) / float((bins - 1) * 2)
        time = torch.arange(frame, dtype=torch.float32).reshape(frame, 1, 1)
        args = (-2 * time) * freq * torch.arccos(torch.tensor(-1.0))
        win, scale = None, 1.0
        if window is not None:
            win = keras_window(window, frame, periodic) if isinstance(window, str) else torch.tensor(window)
            win = win.float().reshape(frame, 1, 1)
            if scaling == "density":
                scale = torch.sqrt(torch.sum(win * win))
            elif scaling == "spectrum":
                scale = torch.sum(win.abs())
        for side, part in (("real", torch.cos), ("imag", torch.sin)):
            if mode != ("imag" if side == "real" else "real"):
                kernel = part(args)
                if win is not None:
                    kernel = kernel * win / scale
                setattr(self, f"{side}_kernel", nn.Parameter(kernel))

    def forward(self, x):
        if not self.channels_first:
            x = x.transpose(1, 2)
        b, c, t = x.shape
        x = x.reshape(b * c, 1, t)
        if self.padding == "same":
            x = keras_same_pad(x, (self.frame,), (self.step,), (1,))

        def conv(kernel):
            y = F.conv1d(x, kernel.permute(2, 1, 0), stride=self.step)
            return y.reshape(b, c, y.shape[1], y.shape[2])

        real = conv(self.real_kernel) if self.mode != "imag" else None
        imag = conv(self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            y = real
        elif self.mode == "imag":
            y = imag
        elif self.mode == "angle":
            y = torch.atan2(imag, real)
        elif self.mode == "stft":
            y = torch.cat([real, imag], dim=2)
        else:
            power = real * real + imag * imag
            if self.mode == "psd":
                y = power + F.pad(power[:, :, 1:-1, :], (0, 0, 1, 1))
            else:
                y = torch.sqrt(torch.clamp(power, min=1e-7))
                if self.mode == "log":
                    y = torch.log(torch.clamp(y, min=1e-7))
        # (batch, channels, bins, frames) to Keras' layout.
        if self.expand_dims:
            return y.permute(0, 1, 3, 2) if self.channels_first else y.permute(0, 3, 2, 1)
        y = y.reshape(b, c * y.shape[2], y.shape[3])
        return y if self.channels_first else y.transpose(1, 2)


"#;

/// The function MelSpectrogram becomes.
pub(super) const KERAS_MEL: &str = r#"def keras_mel_spectrogram(x, fft, stride, frame, window, rate, mels, fmin, fmax, to_db, top_db, mag_exp, min_power, ref_power):
    """Keras' MelSpectrogram of signals (batch, samples): the Fourier transform of centred,
    reflect-padded frames, the HTK mel filter bank, then decibels; (batch, mels, frames)."""
    x = F.pad(x[:, None], (fft // 2, fft // 2), mode="reflect")[:, 0]
    if window is None:
        win = torch.ones(frame)
    else:
        made = torch.hann_window if window == "hann" else torch.hamming_window
        win = made(frame, periodic=True, dtype=torch.float64).float()
    left = (fft - frame) // 2
    win = F.pad(win, (left, fft - frame - left))
    spec = torch.fft.rfft(x.unfold(-1, fft, stride) * win, n=fft).abs() ** mag_exp
    to_mel = lambda hz: 1127.0 * torch.log(1.0 + hz / 700.0)
    bins = spec.shape[-1]
    linear = to_mel(torch.linspace(0.0, rate / 2.0, bins)[1:])[:, None]
    edges = torch.linspace(float(to_mel(torch.tensor(float(fmin)))), float(to_mel(torch.tensor(float(fmax)))), mels + 2)
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]
    weights = torch.clamp(torch.minimum((linear - lower) / (centre - lower), (upper - linear) / (upper - centre)), min=0.0)
    y = torch.tensordot(spec, F.pad(weights, (0, 0, 1, 0)), dims=1)
    if to_db:
        y = 10.0 * torch.log10(torch.clamp(y, min=min_power))
        y = y - 10.0 * torch.log10(torch.clamp(torch.tensor(abs(ref_power)), min=min_power))
        y = torch.maximum(y, y.max() - top_db)
    return y.transpose(-1, -2)


"#;

/// The window names `keras_window` makes with PyTorch, by SciPy's aliases for them.
const TORCH_WINDOWS: &[(&[&str], &str)] = &[
    (&["hann", "han"], "hann"),
    (&["hamming", "hamm", "ham"], "hamming"),
    (&["blackman", "black", "blk"], "blackman"),
    (&["bartlett", "bart", "brt"], "bartlett"),
    (&["boxcar", "box", "ones", "rect", "rectangular"], "boxcar"),
];

/// A window as the module's argument: a name (PyTorch's own for the windows it has), a list
/// of values, or `None`.
fn python_window(window: Option<&Window>) -> String {
    match window {
        None => "None".into(),
        Some(Window::Named(name)) => {
            let canonical = TORCH_WINDOWS
                .iter()
                .find(|(names, _)| names.contains(&name.as_str()))
                .map_or(name.as_str(), |(_, c)| c);
            python_str(canonical)
        }
        Some(Window::Values(v)) => py_floats(v),
    }
}

impl TorchKind for StftSpectrogram {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.helpers.stft = true;
        let same = self.padding == Padding::Same;
        w.helpers.same_pad |= same;
        let a = w.attr(&row.name);
        let scaling = match self.scaling {
            None => "None",
            Some(Scaling::Density) => "\"density\"",
            Some(Scaling::Spectrum) => "\"spectrum\"",
        };
        let bool_py = |b: bool| if b { "True" } else { "False" };
        w.init.push(format!(
            "self.{a} = KerasSTFTSpectrogram(\"{}\", {}, {}, {}, {}, {}, {scaling}, \"{}\", {}, {})  # STFTSpectrogram: Keras' kernels, trained like any weight",
            self.mode.as_str(),
            self.frame_length,
            self.step(),
            self.fft(),
            python_window(self.window.as_ref()),
            bool_py(self.periodic),
            if same { "same" } else { "valid" },
            bool_py(self.expand_dims),
            bool_py(self.data_format == DataFormat::ChannelsFirst),
        ));
        w.freeze(&a, self.trainable);
        w.forward.push(format!("x = self.{a}(x)"));
    }
}

impl TorchKind for MelSpectrogram {
    fn write(&self, w: &mut Writer, row: &Row) {
        w.helpers.mel = true;
        let window = self
            .window
            .as_deref()
            .map_or("None".to_string(), python_str);
        w.forward.push(format!(
            "x = keras_mel_spectrogram(x, {}, {}, {}, {window}, {}, {}, {}, {}, {}, {}, {}, {}, {})  # {}: MelSpectrogram",
            self.fft_length,
            self.sequence_stride,
            self.frame(),
            py_float(self.sampling_rate),
            self.num_mel_bins,
            py_float(self.min_freq),
            py_float(self.highest()),
            if self.power_to_db { "True" } else { "False" },
            py_float(self.top_db),
            py_float(self.mag_exp),
            py_float(self.min_power),
            py_float(self.ref_power),
            row.name.escape_debug()
        ));
    }
}
