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

/**
 * Null when the faces of canvasFont(px, weight) that `text` needs are loaded, else a promise that
 * resolves once they are. A canvas draws with what is loaded at that moment and never redraws
 * by itself: text drawn before its face arrived (a Korean axis label on a machine without a
 * Korean font: the site's face is split by unicode-range) stays as empty boxes.
 */
export function canvasFontPending(text, px = 12, weight = 400) {
  if (!text || typeof document === 'undefined' || !document.fonts) return null;
  const font = canvasFont(px, weight);
  if (document.fonts.check(font, text)) return null;
  return document.fonts.load(font, text).then(
    () => {},
    () => {},
  );
}

/** { count, binStart, value } in the page's language. */
export function chartWords() {
  return uiStrings(typeof document === 'undefined' ? undefined : document.documentElement.lang).chart;
}
