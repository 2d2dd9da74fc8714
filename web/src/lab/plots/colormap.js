// Viridis as a degree-6 polynomial per channel (a well-known fit of
// matplotlib's map): perceptually even, readable in light and dark themes and
// by readers with the common colour-vision deficiencies. t in [0, 1] -> [r, g, b] 0..255.
const C = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

const LUT = new Uint8ClampedArray(256 * 3);
for (let i = 0; i < 256; i++) {
  const t = i / 255;
  for (let ch = 0; ch < 3; ch++) {
    let v = C[6][ch];
    for (let k = 5; k >= 0; k--) v = v * t + C[k][ch];
    LUT[i * 3 + ch] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
}

/** [r, g, b] for t in [0, 1]. */
export function viridis(t) {
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255) * 3;
  return [LUT[i], LUT[i + 1], LUT[i + 2]];
}
