"""Writes tests/fixtures/torch/ files for the pooling, resizing, padding, normalization and
PReLU modules from real PyTorch and torchinfo 1.8.0, in the format of that folder's README.md.

Usage: python tests/support/torch_resize_fixtures.py tests/fixtures/torch [NAME ...]
(with names, only those cases are written, so the other files stay as they were recorded).
"""

import inspect
import json
import sys
from pathlib import Path

import numpy
import torch
import torchinfo
from torch import nn

CASES = [
    ("avg_pool2d", nn.AvgPool2d, {"kernel_size": 2, "stride": 2}, [2, 3, 32, 32]),
    ("avg_pool3d", nn.AvgPool3d, {"kernel_size": [1, 2, 2], "stride": [1, 2, 2]}, [2, 4, 16, 16, 16]),
    ("max_pool3d", nn.MaxPool3d, {"kernel_size": 2, "stride": 2}, [2, 4, 16, 16, 16]),
    ("adaptive_avg_pool1d", nn.AdaptiveAvgPool1d, {"output_size": 10}, [2, 4, 30]),
    ("adaptive_avg_pool2d", nn.AdaptiveAvgPool2d, {"output_size": [5, 3]}, [2, 3, 32, 24]),
    ("adaptive_avg_pool3d", nn.AdaptiveAvgPool3d, {"output_size": [2, 3, 4]}, [2, 2, 8, 9, 10]),
    ("adaptive_max_pool1d", nn.AdaptiveMaxPool1d, {"output_size": 4}, [2, 4, 30]),
    ("adaptive_max_pool2d", nn.AdaptiveMaxPool2d, {"output_size": [2, 2]}, [2, 3, 32, 24]),
    ("adaptive_max_pool3d", nn.AdaptiveMaxPool3d, {"output_size": [1, 1, 1]}, [2, 2, 8, 9, 10]),
    ("upsample_nearest2d", nn.Upsample, {"scale_factor": [2.0, 3.0], "mode": "nearest"}, [2, 4, 7, 7]),
    ("upsample_nearest3d", nn.Upsample, {"scale_factor": [2.0, 2.0, 2.0], "mode": "nearest"}, [2, 2, 2, 3, 4]),
    ("zero_pad1d", nn.ZeroPad1d, {"padding": [1, 3]}, [2, 3, 10]),
    ("zero_pad2d", nn.ZeroPad2d, {"padding": [3, 4, 1, 2]}, [2, 2, 8, 8]),
    ("zero_pad3d", nn.ZeroPad3d, {"padding": [1, 1, 2, 3, 0, 1]}, [2, 1, 4, 4, 4]),
    ("max_pool1d", nn.MaxPool1d, {"kernel_size": 3, "stride": 2}, [2, 4, 31]),
    ("max_pool2d", nn.MaxPool2d, {"kernel_size": [2, 3]}, [2, 3, 16, 18]),
    ("avg_pool1d", nn.AvgPool1d, {"kernel_size": 4}, [2, 4, 30]),
    ("upsample_bilinear2d", nn.Upsample, {"scale_factor": [2.0, 3.0], "mode": "bilinear"}, [2, 4, 7, 5]),
    ("group_norm", nn.GroupNorm, {"num_groups": 4, "num_channels": 16}, [2, 16, 8, 8]),
    ("group_norm_no_affine", nn.GroupNorm, {"num_groups": 2, "num_channels": 6, "affine": False}, [2, 6, 10]),
    ("rms_norm", nn.RMSNorm, {"normalized_shape": [32]}, [4, 10, 32]),
    ("batchnorm2d", nn.BatchNorm2d, {"num_features": 16}, [2, 16, 8, 8]),
    ("batchnorm3d", nn.BatchNorm3d, {"num_features": 4}, [2, 4, 3, 5, 5]),
    ("prelu_shared", nn.PReLU, {}, [2, 3, 8, 8]),
    ("prelu_per_channel", nn.PReLU, {"num_parameters": 3}, [2, 3, 8, 8]),
]


def config(cls, given):
    """Every constructor argument, defaults filled in."""
    out = {}
    for name, p in inspect.signature(cls.__init__).parameters.items():
        if name in ("self", "device", "dtype") or name.startswith("_"):
            continue
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out[name] = given.get(name, None if p.default is p.empty else p.default)
    return out


def case(name, cls, given, shape):
    args = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    module = cls(**args).eval()
    x = torch.rand(*shape)
    with torch.no_grad():
        y = module(x)
    params = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    info = torchinfo.summary(module, input_data=[x], verbose=0, mode="eval")
    return {
        "name": name,
        "torch_version": torch.__version__,
        "torchinfo_version": torchinfo.__version__,
        "module": {"class": cls.__name__, "config": config(cls, given)},
        "input_shape": shape,
        "input_dtype": "float32",
        "expected": {
            "params": params,
            "trainable": trainable,
            "non_trainable": params - trainable,
            "per_parameter": {n: list(p.shape) for n, p in module.named_parameters()},
            "buffers": {n: list(b.shape) for n, b in module.named_buffers()},
            "buffer_numel": sum(b.numel() for b in module.buffers()),
            "output_shape": list(y.shape),
            "torchinfo": {
                "total_params": info.total_params,
                "trainable_params": info.trainable_params,
                "non_trainable_params": info.total_params - info.trainable_params,
            },
        },
    }


def main():
    out = Path(sys.argv[1])
    numpy.random.seed(0)
    torch.manual_seed(0)
    wanted = set(sys.argv[2:])
    for name, cls, given, shape in CASES:
        if wanted and name not in wanted:
            continue
        text = json.dumps(case(name, cls, given, shape), indent=2) + "\n"
        (out / f"{name}.json").write_text(text)


if __name__ == "__main__":
    main()
