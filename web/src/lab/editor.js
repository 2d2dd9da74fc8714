// The code editor of an experiment cell (CodeMirror 6, JavaScript mode).
// A view: it knows nothing about running code; the cell passes onRun/onStop.
import { Compartment, EditorState, Prec, StateEffect, StateField } from '@codemirror/state';
import {
  EditorView,
  Decoration,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  dropCursor,
  rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { tags } from '@lezer/highlight';

// Colours come from CSS variables (lab.css), so light and dark follow the system.
const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--syn-keyword)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--syn-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--syn-number)' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--syn-function)' },
  { tag: [tags.className, tags.definition(tags.className), tags.typeName], color: 'var(--syn-type)' },
  { tag: [tags.definition(tags.variableName)], color: 'var(--syn-definition)' },
  { tag: [tags.operator, tags.punctuation, tags.bracket], color: 'var(--syn-punctuation)' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

const editorTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--code-fg)', fontSize: '14px' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--accent)', padding: '8px 0' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--code-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--code-active-line)', color: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)', borderLeftWidth: '2px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'var(--code-selection) !important',
  },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--code-bracket)', outline: 'none' },
  '.cm-errorLine': { backgroundColor: 'var(--danger-bg)', boxShadow: 'inset 3px 0 0 var(--danger)' },
});

// The line an error points at stays marked until the code is edited.
const setErrorLine = StateEffect.define();
const errorLineField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setErrorLine)) {
        if (effect.value === null) return Decoration.none;
        const line = tr.state.doc.line(effect.value);
        return Decoration.set([Decoration.line({ class: 'cm-errorLine' }).range(line.from)]);
      }
    }
    return tr.docChanged ? Decoration.none : marks.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * Creates an editor in `parent`.
 * onRun(): Ctrl/Cmd+Enter. onStop(): Escape; returns true if it stopped something
 * (otherwise Escape keeps its usual meaning, which lets Tab leave the editor).
 */
// Python's highlighting is loaded when a Python cell is first shown: a page of JavaScript
// cells does not download it.
let pythonSupport = null;
const loadPython = () => (pythonSupport ??= import('@codemirror/lang-python').then((m) => m.python()));

export function createEditor(parent, { doc, label, onRun, onStop, onChange = () => {}, language = 'js' }) {
  const languageConf = new Compartment();
  // The version shown, as data-language on the content: set by CodeMirror with its own
  // attributes (an attribute set from outside is a mutation its observer answers by reading the
  // page's selection, which lays the page out again: once per cell as a chapter opens).
  const languageAttr = new Compartment();
  const shownAs = (lang) => EditorView.contentAttributes.of({ 'data-language': lang });
  const runKeys = Prec.highest(
    keymap.of([
      { key: 'Mod-Enter', run: () => (onRun(), true), preventDefault: true },
      { key: 'Escape', run: () => onStop() },
    ]),
  );
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKeys,
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        indentOnInput(),
        syntaxHighlighting(highlightStyle),
        bracketMatching(),
        closeBrackets(),
        rectangularSelection(),
        highlightActiveLine(),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        languageConf.of(language === 'python' ? [] : javascript()),
        languageAttr.of(shownAs(language)),
        errorLineField,
        editorTheme,
        // The content is the focus target (it is already in the tab order as a contenteditable;
        // tabindex says so to tools that look for keyboard access to the scroller around it,
        // which CodeMirror keeps at tabindex -1). CodeMirror's advice: codemirror/dev#960.
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((update) => update.docChanged && onChange()),
      ],
    }),
  });

  function showPython() {
    loadPython().then((support) => {
      if (view.contentDOM.dataset.language === 'python') view.dispatch({ effects: languageConf.reconfigure(support) });
    });
  }
  if (language === 'python') showPython();
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    /** Shows `code` in another language ('js' or 'python'): its highlighting and indentation. */
    setLanguage(lang, code) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: code },
        effects: [languageConf.reconfigure(lang === 'python' ? [] : javascript()), languageAttr.reconfigure(shownAs(lang)), setErrorLine.of(null)],
      });
      if (lang === 'python') showPython();
    },
    focus: () => view.focus(),
    /** Marks a 1-based line (or clears with null) and scrolls it into view. */
    markErrorLine(line) {
      if (line === null || line < 1 || line > view.state.doc.lines) {
        view.dispatch({ effects: setErrorLine.of(null) });
        return;
      }
      const pos = view.state.doc.line(line).from;
      view.dispatch({ effects: [setErrorLine.of(line), EditorView.scrollIntoView(pos, { y: 'center' })] });
    },
    /** Puts the cursor at a 1-based line and column and focuses the editor. */
    goTo(line, column = 1) {
      const l = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
      const pos = Math.min(l.from + Math.max(column - 1, 0), l.to);
      view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      view.focus();
    },
  };
}
