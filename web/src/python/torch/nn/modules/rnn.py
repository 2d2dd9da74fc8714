"""nn.RNN, LSTM, GRU (the engine's fused layers: the whole sequence and its backprop through time
in C++) and nn.RNNCell, LSTMCell, GRUCell (one step). PyTorch's defaults: batch_first=False, so
inputs are (T, B, D) and states (num_layers, B, H). Each torch layer holds its gl layer; the
Parameters are the gl layer's own tensors (the same storage), handed back to it on every
forward so that a parameter replaced by assignment is the one used."""
from .._bridge import call, gl, gl_of, js_list, js_obj, jsnull, size_str, unsupported, wrap
from ..parameter import Parameter
from .module import Module


def _batch_of_one(who, g, axis):
    shape = [int(d) for d in g.shape]
    return call(who, g.reshape, js_list(shape[:axis] + [1] + shape[axis:]))


def _drop_axis(who, g, axis):
    shape = [int(d) for d in g.shape]
    return call(who, g.reshape, js_list(shape[:axis] + shape[axis + 1:]))


class RNNBase(Module):
    _kind = None

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, *, nonlinearity='tanh', proj_size=0):
        super().__init__()
        who = f'nn.{self._kind}'
        if bidirectional:
            raise unsupported(f'{who}(bidirectional=True)', 'the engine runs one direction; reverse the sequence for the other')
        if dropout:
            raise unsupported(f'{who}(dropout={dropout})', 'apply nn.Dropout between single-layer modules instead')
        if proj_size:
            raise unsupported(f'{who}(proj_size={proj_size})')
        options = dict(numLayers=num_layers, bias=bool(bias), batchFirst=bool(batch_first))
        if self._kind == 'RNN':
            if nonlinearity not in ('tanh', 'relu'):
                raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
            options['nonlinearity'] = nonlinearity
            self.nonlinearity = nonlinearity
        layer = call(who, getattr(gl.nn, self._kind).new, input_size, hidden_size, js_obj(**options))
        object.__setattr__(self, '_layer', layer)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = False
        self.proj_size = 0
        for name, g in layer.namedParameters():
            setattr(self, name, Parameter._of(g))

    @property
    def _flat_weights_names(self):
        return [name for name in self._parameters]

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in self._parameters if n.endswith(f'_l{k}')] for k in range(self.num_layers)]

    def flatten_parameters(self):
        pass

    def _sync(self):
        layer = self._layer
        for name, p in self._parameters.items():
            setattr(layer, name, p._gl)

    def _state(self, who, h, batched, batch):
        """A state tensor (num_layers, B, H) (or (num_layers, H) unbatched) as the engine takes it."""
        g = gl_of(who, 'hx', h)
        want = [self.num_layers, batch, self.hidden_size] if batched else [self.num_layers, self.hidden_size]
        have = [int(d) for d in g.shape]
        if have != want:
            raise RuntimeError(f'Expected hidden size {tuple(want)}, got {list(have)}')
        return g if batched else _batch_of_one(who, g, 1)

    def _run(self, input, states):
        who = self._kind
        x = gl_of(who, 'input', input)
        shape = [int(d) for d in x.shape]
        if len(shape) not in (2, 3):
            raise ValueError(f'{who}: Expected input to be 2D or 3D, got {len(shape)}D tensor instead')
        if shape[-1] != self.input_size:
            raise RuntimeError(f'input.size(-1) must be equal to input_size. Expected {self.input_size}, got {shape[-1]}')
        batched = len(shape) == 3
        batch = shape[0 if self.batch_first else 1] if batched else 1
        if not batched:
            x = _batch_of_one(who, x, 0 if self.batch_first else 1)
        states = [None if s is None else self._state(who, s, batched, batch) for s in states]
        self._sync()
        if self._kind == 'LSTM':
            state = None if states[0] is None else js_list(states)
            r = call(who, self._layer.forward, x, state)
            out, final = r[0], [r[1][0], r[1][1]]
        else:
            r = call(who, self._layer.forward, x, states[0])
            out, final = r[0], [r[1]]
        if not batched:
            out = _drop_axis(who, out, 0 if self.batch_first else 1)
            final = [_drop_axis(who, g, 1) for g in final]
        return wrap(out), [wrap(g) for g in final]

    def extra_repr(self):
        s = f'{self.input_size}, {self.hidden_size}'
        if self.num_layers != 1:
            s += f', num_layers={self.num_layers}'
        if getattr(self, 'nonlinearity', 'tanh') != 'tanh':
            s += f", nonlinearity='{self.nonlinearity}'"
        if self.bias is not True:
            s += f', bias={self.bias}'
        if self.batch_first is not False:
            s += f', batch_first={self.batch_first}'
        return s


class RNN(RNNBase):
    """h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh); forward(input, h_0=None) -> (output, h_n)."""
    _kind = 'RNN'

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):  # PyTorch's positional order
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         nonlinearity=nonlinearity)

    def forward(self, input, hx=None):
        out, (h_n,) = self._run(input, [hx])
        return out, h_n


class GRU(RNNBase):
    """forward(input, h_0=None) -> (output, h_n); gates r, z, n in PyTorch's order."""
    _kind = 'GRU'

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None):
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)

    def forward(self, input, hx=None):
        out, (h_n,) = self._run(input, [hx])
        return out, h_n


class LSTM(RNNBase):
    """forward(input, (h_0, c_0)=None) -> (output, (h_n, c_n)); gates i, f, g, o in PyTorch's order."""
    _kind = 'LSTM'

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size=proj_size)

    def forward(self, input, hx=None):
        if hx is None:
            states = [None, None]
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise RuntimeError('LSTM: hx must be a tuple (h_0, c_0) of two tensors')
            states = list(hx)
        out, (h_n, c_n) = self._run(input, states)
        return out, (h_n, c_n)


# ---- cells ----------------------------------------------------------------------------------
class RNNCellBase(Module):
    _kind = None

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None):
        super().__init__()
        who = f'nn.{self._kind}Cell'
        options = dict(bias=bool(bias))
        if self._kind == 'RNN':
            if nonlinearity not in ('tanh', 'relu'):
                raise ValueError(f'Unknown nonlinearity: {nonlinearity}')
            options['nonlinearity'] = nonlinearity
            self.nonlinearity = nonlinearity
        layer = call(who, getattr(gl.nn, f'{self._kind}Cell').new, input_size, hidden_size, js_obj(**options))
        object.__setattr__(self, '_layer', layer)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        for name, g in layer.namedParameters():
            setattr(self, name, Parameter._of(g))
        if not bias:
            self.register_parameter('bias_ih', None)
            self.register_parameter('bias_hh', None)

    def _step(self, input, states):
        who = f'{self._kind}Cell'
        x = gl_of(who, 'input', input)
        shape = [int(d) for d in x.shape]
        if len(shape) not in (1, 2):
            raise ValueError(f'{who}: Expected input to be 1D or 2D, got {len(shape)}D instead')
        if shape[-1] != self.input_size:
            raise RuntimeError(f'{who}: input has inconsistent input_size: got {shape[-1]} expected {self.input_size}')
        batched = len(shape) == 2
        if not batched:
            x = _batch_of_one(who, x, 0)
        hs = []
        for s in states:
            if s is None:
                hs.append(None)
                continue
            g = gl_of(who, 'hx', s)
            want = [shape[0], self.hidden_size] if batched else [self.hidden_size]
            if [int(d) for d in g.shape] != want:
                raise RuntimeError(f'{who}: Expected hidden size {size_str(want)}, got {size_str([int(d) for d in g.shape])}')
            hs.append(g if batched else _batch_of_one(who, g, 0))
        layer = self._layer
        for name in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'):
            p = self._parameters.get(name)
            setattr(layer, name, jsnull if p is None else p._gl)
        if self._kind == 'LSTM':
            state = None if hs[0] is None else js_list([hs[0], hs[1] if hs[1] is not None else hs[0].mul(0)])
            r = call(who, layer.forward, x, state)
            out = [r[0], r[1]]
        else:
            out = [call(who, layer.forward, x, hs[0])]
        if not batched:
            out = [_drop_axis(who, g, 0) for g in out]
        return [wrap(g) for g in out]

    def extra_repr(self):
        s = f'{self.input_size}, {self.hidden_size}'
        if self.bias is not True:
            s += f', bias={self.bias}'
        if getattr(self, 'nonlinearity', 'tanh') != 'tanh':
            s += f", nonlinearity='{self.nonlinearity}'"
        return s


class RNNCell(RNNCellBase):
    _kind = 'RNN'

    def forward(self, input, hx=None):
        return self._step(input, [hx])[0]


class GRUCell(RNNCellBase):
    _kind = 'GRU'

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias)

    def forward(self, input, hx=None):
        return self._step(input, [hx])[0]


class LSTMCell(RNNCellBase):
    _kind = 'LSTM'

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias)

    def forward(self, input, hx=None):
        states = [None, None] if hx is None else list(hx)
        h, c = self._step(input, states)
        return h, c
