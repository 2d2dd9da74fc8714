// The first script of every page: it starts compiling the engine and a first
// experiment worker, then loads the page's own code (the editor, the plots:
// most of the JavaScript), which parses while the engine gets ready.
import { prewarm } from '../runner/runner.js';

prewarm(document.baseURI);
