"""gradlab's measurements on torch objects (import gradlab; gradlab.step_grad_norms(...)).

    loss.backward()
    gradlab.step_grad_norms(rnn)            # ‖∂L/∂h_t‖ for every step t of the last forward
    gradlab.step_grad_norms(lstm, 'c')      # ‖∂L/∂c_t‖ (an LSTM's cell state)
    gradlab.step_grad_norms(hs)             # ‖∂L/∂h_t‖ of a hand-written loop's states (h.retain_grad())
    gradlab.spectral_radius(rnn.weight_hh_l0)
    gradlab.spectrum(W)                     # {'rho', 'singular_values', 'eigenvalues'}
    gradlab.jacobian_norms(rnn, x)          # ‖∂h_t/∂h_0‖₂, t = 1..T
    gradlab.saturation(rnn, x)              # {'rho', 'mean_slope', 'rho_eff', 'saturated_fraction', ...}
    gradlab.lstm_gates(lstm, x)             # {'i', 'f', 'g', 'o', 'c', 'h'}: tensors shaped like the output
    gradlab.power_norms(W, K)               # ‖W^k‖₂ for k = 1..K

Each is a thin wrapper over the engine's gl.analysis; sequences follow the layer's layout
(batch_first=False: (T, B, ...)). Lists are Python lists of floats.
"""
import js
from torch._tensor import Tensor
from torch.nn._bridge import call, gl, gl_of, is_null, js_obj, wrap
from torch.nn.modules.rnn import GRU, LSTM, RNN

_analysis = gl.analysis


def _floats(values):
    return [float(v) for v in values]


def _layer(who, layer, kinds=(RNN, LSTM, GRU)):
    if not isinstance(layer, kinds):
        names = ' or '.join(f'nn.{k.__name__}' for k in kinds)
        raise TypeError(f'gradlab.{who}: expected an {names}, got {type(layer).__name__}')
    return layer


def _batch_first_twin(layer):
    """The layer's gl layer seen as batch-first: a JS object whose prototype is the gl layer, so
    it computes with the same parameters (the engine's analyses take (B, T, D) sequences)."""
    if layer.batch_first:
        return layer._layer
    twin = layer.__dict__.get('_twin')
    if twin is None:
        twin = js.Object.create(layer._layer)
        twin.batchFirst = True
        object.__setattr__(layer, '_twin', twin)
    return twin


def _bt(layer, x):
    """x in the layer's layout -> (B, T, D) for the engine."""
    g = gl_of('gradlab', 'x', x)
    return g if layer.batch_first else call('gradlab', gl.transpose, g, 0, 1)


def _one_layer(who, layer):
    if layer.num_layers != 1:
        raise ValueError(f'gradlab.{who}: expects a one-layer {type(layer).__name__}, got num_layers={layer.num_layers}')


def step_grad_norms(source, state='h'):
    """‖∂L/∂h_t‖ (L2 over batch and units) for every step t, after loss.backward().

    source: an nn.RNN / LSTM / GRU (its last forward); a list of the hidden states of a loop
    written by hand (each h.retain_grad() before backward), giving ‖h.grad‖ for each; or a
    tensor of per-step values laid out as (T, B, F) (batch_first=False, PyTorch's default).
    state 'c' gives an LSTM's ‖∂L/∂c_t‖.
    """
    if isinstance(source, (list, tuple)):
        norms = []
        for t, h in enumerate(source):
            g = gl_of('gradlab.step_grad_norms', f'states[{t}]', h).grad
            if is_null(g):
                raise RuntimeError(f'gradlab.step_grad_norms: states[{t}] has no grad: call h.retain_grad() on each '
                                   'hidden state before loss.backward()')
            norms.append(float(call('gradlab.step_grad_norms', g.norm).item()))
        return norms
    if isinstance(source, Tensor):
        g = call('gradlab.step_grad_norms', gl.transpose, source._gl, 0, 1)
        return _floats(call('gradlab.step_grad_norms', _analysis.stepGradNorms, g))
    _layer('step_grad_norms', source)
    if state not in ('h', 'c') or (state == 'c' and not isinstance(source, LSTM)):
        raise ValueError(f"gradlab.step_grad_norms: state must be 'h'{' or c' if isinstance(source, LSTM) else ''}, got {state!r}")
    r = call('gradlab.step_grad_norms', _analysis.stepGradNorms, source._layer)
    return _floats(r.dh if state == 'h' else r.dc)


def spectrum(weight):
    """{'rho': ρ(W), 'singular_values': [...] (largest first), 'eigenvalues': [complex, ...]} of a square W."""
    s = call('gradlab.spectrum', _analysis.spectrum, gl_of('gradlab.spectrum', 'weight', weight))
    return {
        'rho': float(s.rho),
        'singular_values': _floats(s.singularValues),
        'eigenvalues': [complex(a, b) for a, b in zip(s.eigReal, s.eigImag)],
    }


def spectral_radius(weight):
    """ρ(W) = max |λ| of a square matrix."""
    return spectrum(weight)['rho']


def power_norms(weight, K=50):
    """‖W^k‖₂ for k = 1..K."""
    return _floats(call('gradlab.power_norms', _analysis.powerNorms, gl_of('gradlab.power_norms', 'weight', weight), int(K)))


def jacobian_norms(rnn, x, h0=None, batch_index=0):
    """‖∂h_t/∂h_0‖₂ for t = 1..T of a one-layer nn.RNN on x (its layout), for batch element batch_index."""
    _layer('jacobian_norms', rnn, (RNN,))
    _one_layer('jacobian_norms', rnn)
    rnn._sync()
    options = js_obj(h0=None if h0 is None else h0._gl, batchIndex=int(batch_index))
    r = call('gradlab.jacobian_norms', _analysis.jacobianNorms, _batch_first_twin(rnn), _bt(rnn, x), options)
    return _floats(r.norms)


def saturation(rnn, x, h0=None, bins=40):
    """How saturated a one-layer nn.RNN is on x: ρ(W_hh), E[σ'(z)], ρ_eff = ρ·E[σ'(z)], the saturated fraction."""
    _layer('saturation', rnn, (RNN,))
    _one_layer('saturation', rnn)
    rnn._sync()
    options = js_obj(h0=None if h0 is None else h0._gl, bins=int(bins))
    r = call('gradlab.saturation', _analysis.saturation, _batch_first_twin(rnn), _bt(rnn, x), options)
    return {'rho': float(r.rho), 'mean_slope': float(r.meanSlope), 'rho_eff': float(r.rhoEff),
            'saturated_fraction': float(r.saturatedFraction), 'mean_abs_z': float(r.meanAbsZ)}


def lstm_gates(lstm, x):
    """A one-layer nn.LSTM replayed on x from zero states: {'i','f','g','o','c','h'}, each laid out as x."""
    _layer('lstm_gates', lstm, (LSTM,))
    _one_layer('lstm_gates', lstm)
    lstm._sync()
    t = call('gradlab.lstm_gates', _analysis.lstmTrace, _batch_first_twin(lstm), _bt(lstm, x))
    out = {}
    for name in ('i', 'f', 'g', 'o', 'c', 'h'):
        g = getattr(t, name)
        out[name] = wrap(g if lstm.batch_first else call('gradlab.lstm_gates', gl.transpose, g, 0, 1))
    return out


def forget_gates(lstm, x):
    """f_t, laid out as x: ∂c_t/∂c_{t-1} = diag(f_t)."""
    return lstm_gates(lstm, x)['f']


__all__ = ['step_grad_norms', 'spectrum', 'spectral_radius', 'power_norms', 'jacobian_norms', 'saturation',
           'lstm_gates', 'forget_gates']
