// --pre-js of the engine built with threads (CMakeLists.txt). Each pthread Worker imports this
// same loader with a Module of its own (Emscripten's worker.js) that has no locateFile, so the
// loader would resolve its .wasm against import.meta.url, which in the sandbox is a blob: URL
// that cannot be a base ("Invalid URL"). The Worker is handed the compiled module and never
// fetches a file: the name as is will do.
if (Module['ENVIRONMENT_IS_PTHREAD'] && !Module['locateFile']) Module['locateFile'] = function (file) { return file; };
