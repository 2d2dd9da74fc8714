// Entry of index.html: engine first (boot.js), then the site (app.js).
import './boot.js';

import('./app.js');
