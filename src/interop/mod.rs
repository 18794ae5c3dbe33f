//! Getting designs in and out: Keras Python code in, Keras and PyTorch code out.

pub mod export_keras;
pub mod export_pytorch;
pub mod python;
