// The console pane of a cell: printed lines, notes and errors. A view: it
// shows text; the cell decides what. Errors that name a line of the reader's
// code get a button that puts the cursor there. Printed lines are drawn at
// most once a frame, and only as many as the console keeps: however fast a
// run prints, the page does a bounded amount of work per frame and never
// falls behind (so Stop is always handled at once).

const MAX_LINES = 1000;
const MAX_CHARS = 100_000; // of text kept, so that a flood of long lines stays cheap to lay out

export class ConsoleView {
  #root;
  #onGoTo;
  #trimmedNote;
  #goToLine;
  #chars = 0;
  #pending = []; // lines waiting for the next frame, newest last
  #dropped = false; // lines were dropped before they were drawn
  #pendingChars = 0;
  #frame = 0;
  #atEnd = true; // the console is scrolled to its last line (new lines keep it there)
  #scrollFrame = 0;
  #followedTo = 0; // the scrollTop the console last set itself to follow new lines

  /**
   * onGoTo(line, column) is called when the reader clicks an error's line;
   * trimmedNote(lines, chars) says, in the page's language, that old lines were dropped.
   */
  constructor(root, {
    onGoTo = () => {},
    trimmedNote = (lines) => `Only the last ${lines} lines are kept.`,
    goToLine = (line) => `Show line ${line} in the editor`,
  } = {}) {
    this.#root = root;
    this.#onGoTo = onGoTo;
    this.#trimmedNote = trimmedNote;
    this.#goToLine = goToLine;
    // Read where the console is scrolled when the reader scrolls it (the layout is fresh then),
    // not when lines arrive: reading it there, right after the page changed, made the page lay
    // out once more in the middle of a run's output (~35 ms on the backprop chapter's long page).
    // Its own scroll to the end leaves it following, even when more lines have arrived by the time
    // the event fires; the reader's scroll up stops it, and scrolling back to the end resumes it.
    root.addEventListener('scroll', () => {
      this.#atEnd = root.scrollTop >= this.#followedTo - 1 || root.scrollHeight - root.scrollTop - root.clientHeight < 24;
      if (!this.#atEnd) this.#followedTo = Infinity; // from now on only reaching the end resumes it
    }, { passive: true });
  }

  clear() {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#pending = [];
    this.#pendingChars = 0;
    this.#root.replaceChildren();
    this.#chars = 0;
    this.#atEnd = true;
    this.#followedTo = 0;
  }

  /** level: 'log' | 'info' | 'warn' | 'error' | 'note' */
  print(text, level = 'log') {
    this.printBatch([{ text, level }]);
  }

  /** Many lines, drawn with the next frame. */
  printBatch(lines) {
    for (const line of lines) {
      this.#pending.push(line);
      this.#pendingChars += line.text.length;
    }
    // What the console would drop anyway is never drawn.
    let drop = 0;
    while (drop < this.#pending.length - 1 && (this.#pending.length - drop > MAX_LINES || this.#pendingChars > MAX_CHARS)) {
      this.#pendingChars -= this.#pending[drop++].text.length;
    }
    if (drop) {
      this.#pending.splice(0, drop);
      this.#root.replaceChildren(); // all of it would be pushed out
      this.#chars = 0;
      this.#dropped = true;
    }
    this.#frame ||= requestAnimationFrame(() => this.flush());
  }

  /** Draws the lines still waiting now (the cell calls it when a run ends). */
  flush() {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    if (this.#pending.length === 0) return;
    const fragment = document.createDocumentFragment();
    if (this.#dropped && this.#root.childElementCount === 0) fragment.append(this.#notice());
    this.#dropped = false;
    for (const { text, level } of this.#pending) {
      const line = document.createElement('div');
      line.className = 'console-line';
      line.dataset.level = level;
      line.textContent = text;
      fragment.append(line);
    }
    this.#pending = [];
    this.#pendingChars = 0;
    this.#append(fragment);
  }

  /**
   * An error message; `line`/`column` (1-based) make its "(line N)" clickable (`at`: that
   * text as the page's language says it). `original`: the message in English, shown under a
   * translated one (people search for it). `help`: { text, link, href } a line with a link.
   * `action`: { text, onClick } a button under it (what the page offers to do about it).
   */
  error(text, { line = null, column = null, at = null, original = null, help = null, action = null } = {}) {
    this.flush();
    const el = document.createElement('div');
    el.className = 'console-line';
    el.dataset.level = 'error';
    el.setAttribute('role', 'alert');
    const where = line == null ? -1 : at ? text.indexOf(`(${at})`) : text.search(/\(line \d+(?:, col \d+)?\)/);
    if (where >= 0) {
      const label = at ? `(${at})` : /^\(line \d+(?:, col \d+)?\)/.exec(text.slice(where))[0];
      el.append(text.slice(0, where));
      const goTo = document.createElement('button');
      goTo.type = 'button';
      goTo.className = 'console-goto';
      goTo.textContent = label;
      goTo.title = this.#goToLine(line);
      goTo.addEventListener('click', () => this.#onGoTo(line, column ?? 1));
      el.append(goTo, text.slice(where + label.length));
    } else {
      el.textContent = text;
    }
    if (original) {
      const en = document.createElement('span');
      en.className = 'console-original';
      en.lang = 'en';
      en.textContent = original;
      el.append(en);
    }
    if (help) {
      const p = document.createElement('span');
      p.className = 'console-help';
      const a = document.createElement('a');
      a.href = help.href;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = help.link;
      p.append(`${help.text} `, a);
      el.append(p);
    }
    if (action) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button-small console-action';
      button.textContent = action.text;
      button.addEventListener('click', action.onClick, { once: true });
      el.append(button);
    }
    this.#append(el);
  }

  #notice() {
    const notice = document.createElement('div');
    notice.className = 'console-line';
    notice.dataset.level = 'note';
    notice.dataset.trimmed = 'true';
    notice.textContent = this.#trimmedNote(MAX_LINES, MAX_CHARS);
    return notice;
  }

  #append(node) {
    const root = this.#root;
    this.#chars += node.textContent.length;
    root.append(node);
    if (root.childElementCount > MAX_LINES || this.#chars > MAX_CHARS) {
      // Count the oldest lines that must go, then take them out in one operation.
      let extra = root.childElementCount - MAX_LINES;
      let last = null;
      for (let line = root.firstElementChild; line.nextElementSibling && (extra > 0 || this.#chars > MAX_CHARS); line = line.nextElementSibling) {
        this.#chars -= line.textContent.length;
        extra--;
        last = line;
      }
      if (last) {
        const range = document.createRange();
        range.setStartBefore(root.firstChild);
        range.setEndAfter(last);
        range.deleteContents();
      }
      if (!root.firstElementChild.dataset.trimmed) {
        const notice = this.#notice();
        this.#chars += notice.textContent.length - root.firstElementChild.textContent.length;
        root.firstElementChild.replaceWith(notice);
      }
    }
    // Follow the new lines with the next frame, whose layout the scroll then shares.
    if (this.#atEnd) {
      this.#scrollFrame ||= requestAnimationFrame(() => {
        this.#scrollFrame = 0;
        if (!this.#atEnd) return;
        root.scrollTop = root.scrollHeight;
        this.#followedTo = root.scrollTop;
      });
    }
  }
}
