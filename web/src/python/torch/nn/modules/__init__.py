from .activation import GELU, LogSoftmax, MultiheadAttention, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleList, Sequential
from .dropout import Dropout
from .linear import Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import Module
from .normalization import LayerNorm
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from .sparse import Embedding
from .transformer import TransformerEncoder, TransformerEncoderLayer

__all__ = [
    'GELU', 'GRU', 'LSTM', 'RNN', 'BCELoss', 'BCEWithLogitsLoss', 'CrossEntropyLoss', 'Dropout',
    'Embedding', 'GRUCell', 'Identity', 'LayerNorm', 'Linear', 'LogSoftmax', 'LSTMCell', 'Module',
    'ModuleList', 'MSELoss', 'MultiheadAttention', 'NLLLoss', 'ReLU', 'RNNCell', 'Sequential',
    'Sigmoid', 'Softmax', 'Tanh', 'TransformerEncoder', 'TransformerEncoderLayer',
]
