// Entry of embed.html: engine first (boot.js), then the one cell (embed-app.js).
import './boot.js';

import('./embed-app.js');
