// TensorFlow.js as an independent reference: an autodiff nobody here wrote. Helpers to move
// values between gradlab and TF.js and to compare them.
import * as tf from '@tensorflow/tfjs';

let ready = null;
/** TF.js on its plain-JS 'cpu' backend: float32, no SIMD shortcuts, slow but exact enough. */
export function loadTF() {
  ready ??= (async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return ready;
}

/** gradlab tensor -> TF.js tensor with the same values and shape. */
export const toTF = (t) => tf.tensor(t.toArray(), t.shape);

/** ‖a − b‖₂ / ‖b‖₂ over flat arrays (TF.js tensors or typed arrays). */
export function relError(a, b) {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  if (x.length !== y.length) throw new Error(`relError: ${x.length} values vs ${y.length}`);
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - y[i]) ** 2;
    den += y[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
}

/** Seeded weights for the scalar loss L = Σ w ⊙ y, identical on both sides. */
export function lossWeights(gl, shape, seed = 99) {
  gl.manualSeed(seed);
  return gl.rand(shape).mul(2).sub(1).detach();
}
