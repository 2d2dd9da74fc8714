// The console pane of a cell: printed lines, notes and errors. A view: it
// shows text; the cell decides what. Errors that name a line of the reader's
// code get a button that puts the cursor there.

const MAX_LINES = 2000;

export class ConsoleView {
  #root;
  #onGoTo;

  /** onGoTo(line, column) is called when the reader clicks an error's line. */
  constructor(root, { onGoTo = () => {} } = {}) {
    this.#root = root;
    this.#onGoTo = onGoTo;
  }

  clear() {
    this.#root.replaceChildren();
  }

  /** level: 'log' | 'info' | 'warn' | 'error' | 'note' */
  print(text, level = 'log') {
    const line = document.createElement('div');
    line.className = 'console-line';
    line.dataset.level = level;
    line.textContent = text;
    this.#append(line);
  }

  /** Many lines at once (one layout pass instead of one per line). */
  printBatch(lines) {
    const fragment = document.createDocumentFragment();
    for (const { text, level } of lines) {
      const line = document.createElement('div');
      line.className = 'console-line';
      line.dataset.level = level;
      line.textContent = text;
      fragment.append(line);
    }
    this.#append(fragment);
  }

  /** An error message; `line`/`column` (1-based) make "line N" clickable. */
  error(text, { line = null, column = null } = {}) {
    const el = document.createElement('div');
    el.className = 'console-line';
    el.dataset.level = 'error';
    el.setAttribute('role', 'alert');
    const match = line != null ? /\(line (\d+)(?:, col \d+)?\)/.exec(text) : null;
    if (match) {
      el.append(text.slice(0, match.index));
      const goTo = document.createElement('button');
      goTo.type = 'button';
      goTo.className = 'console-goto';
      goTo.textContent = match[0];
      goTo.title = `Show line ${line} in the editor`;
      goTo.addEventListener('click', () => this.#onGoTo(line, column ?? 1));
      el.append(goTo, text.slice(match.index + match[0].length));
    } else {
      el.textContent = text;
    }
    this.#append(el);
  }

  #append(node) {
    const root = this.#root;
    const atBottom = root.scrollHeight - root.scrollTop - root.clientHeight < 24;
    root.append(node);
    const extra = root.childElementCount - MAX_LINES;
    if (extra > 0) {
      for (let i = 0; i < extra; i++) root.firstElementChild.remove();
      if (!root.firstElementChild.dataset.trimmed) {
        const notice = document.createElement('div');
        notice.className = 'console-line';
        notice.dataset.level = 'note';
        notice.dataset.trimmed = 'true';
        notice.textContent = `Only the last ${MAX_LINES} lines are kept.`;
        root.firstElementChild.replaceWith(notice);
      }
    }
    if (atBottom) root.scrollTop = root.scrollHeight;
  }
}
