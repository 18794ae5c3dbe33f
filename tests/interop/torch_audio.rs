//! The audio kinds exported as PyTorch code: STFTSpectrogram as a module holding Keras' two
//! kernels (frozen when Keras' are), MelSpectrogram as Keras' arithmetic. That PyTorch gives
//! Keras' outputs, kernels included, is checked in tests/live.

use crate::common::keras_fixture_design as fixture;
use lstm_tui::interop::torch::pytorch_export;

#[test]
fn a_frozen_stft_keeps_its_kernels_frozen_in_pytorch() {
    // trainable=False in the fixture: Keras counts its 13,000 kernel values non-trainable.
    let export = pytorch_export(&fixture("stft_spectrogram_channels_first_stft_mode"));
    assert!(export.unsupported.is_empty(), "{:?}", export.unsupported);
    let made = export
        .code
        .lines()
        .find(|l| l.contains("= KerasSTFTSpectrogram(\"stft\", 100, 50, 128, \"hamming\", True"))
        .unwrap_or_else(|| panic!("{}", export.code));
    let attr = made.trim().split(" = ").next().expect("an attribute");
    assert!(
        export
            .code
            .contains(&format!("{attr}.requires_grad_(False)")),
        "{}",
        export.code
    );
    assert!(
        export
            .code
            .contains("class KerasSTFTSpectrogram(nn.Module)")
    );
    // padding="same" pads as Keras does, with the helper written once.
    assert_eq!(export.code.matches("def keras_same_pad(").count(), 1);
}

#[test]
fn a_mel_spectrogram_is_written_with_keras_settings_resolved() {
    let export = pytorch_export(&fixture("mel_spectrogram_hamming_frames_shorter_than_fft"));
    assert!(export.unsupported.is_empty(), "{:?}", export.unsupported);
    // fft 512, stride 160, frames of 400 samples, hamming, 16 kHz, 20 bands from 50 to 6,000 Hz.
    assert!(
        export.code.contains(
            "x = keras_mel_spectrogram(x, 512, 160, 400, \"hamming\", 16000.0, 20, 50.0, 6000.0, True, 40.0"
        ),
        "{}",
        export.code
    );
    assert_eq!(export.code.matches("def keras_mel_spectrogram(").count(), 1);
}
