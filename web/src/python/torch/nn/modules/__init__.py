from .activation import GELU, LogSoftmax, MultiheadAttention, ReLU, Sigmoid, Softmax, Tanh  # noqa: F401
from .container import ModuleList, Sequential  # noqa: F401
from .dropout import Dropout  # noqa: F401
from .linear import Identity, Linear  # noqa: F401
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss  # noqa: F401
from .module import Module  # noqa: F401
from .normalization import LayerNorm  # noqa: F401
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell  # noqa: F401
from .sparse import Embedding  # noqa: F401
