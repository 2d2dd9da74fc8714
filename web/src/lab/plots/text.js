// The words and the font of text drawn on a canvas (axes, legends, PNG exports). A canvas does
// not inherit CSS, so it is given the page's font stack (lab.css --font-sans, which ends in the
// site's own Korean font) and the page's language for the labels the lab adds itself.
import { uiStrings } from '../../site/i18n.js';

let stack = null; // read once: the stack does not change with the theme, and charts redraw often
export function canvasFont(px, weight = 400) {
  if (!stack && typeof document !== 'undefined') {
    stack = getComputedStyle(document.documentElement).getPropertyValue('--font-sans').trim() || null;
  }
  return `${weight} ${px}px ${stack || 'system-ui, sans-serif'}`;
}

/** { count, binStart, value } in the page's language. */
export function chartWords() {
  return uiStrings(typeof document === 'undefined' ? undefined : document.documentElement.lang).chart;
}
