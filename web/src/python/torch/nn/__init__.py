"""torch.nn for the lab: PyTorch's modules on gradlab's engine (one gl layer behind each)."""
from . import functional, init, utils
from ._bridge import module_getattr
from .modules import (GELU, GRU, LSTM, RNN, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, Dropout,
                      Embedding, GRUCell, Identity, LayerNorm, Linear, LogSoftmax, LSTMCell, Module, ModuleList,
                      MSELoss, MultiheadAttention, NLLLoss, ReLU, RNNCell, Sequential, Sigmoid, Softmax, Tanh,
                      TransformerEncoder, TransformerEncoderLayer)
from .parameter import Parameter

__getattr__ = module_getattr('torch.nn', {
    'Transformer': 'use nn.TransformerEncoder, or build one from nn.MultiheadAttention, nn.LayerNorm and nn.Linear',
    'TransformerDecoderLayer': 'the lab has encoder layers (nn.TransformerEncoderLayer); build a decoder from nn.MultiheadAttention',
    'Conv1d': 'the lab has no convolutions', 'Conv2d': 'the lab has no convolutions',
    'BatchNorm1d': 'the lab normalises with nn.LayerNorm', 'BatchNorm2d': 'the lab normalises with nn.LayerNorm',
    'DataParallel': 'the lab has one CPU device',
})

__all__ = [
    'GELU', 'GRU', 'LSTM', 'RNN', 'BCELoss', 'BCEWithLogitsLoss', 'CrossEntropyLoss', 'Dropout',
    'Embedding', 'GRUCell', 'Identity', 'LayerNorm', 'Linear', 'LogSoftmax', 'LSTMCell', 'Module',
    'ModuleList', 'MSELoss', 'MultiheadAttention', 'NLLLoss', 'ReLU', 'RNNCell', 'Sequential',
    'Sigmoid', 'Softmax', 'Tanh', 'TransformerEncoder', 'TransformerEncoderLayer', 'Parameter', 'functional',
    'init', 'utils',
]
