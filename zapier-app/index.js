// Entry point the Zapier CLI and the build's zapierwrapper.js load (CommonJS path: `main`).
// The app itself is bundled from src/ into dist/ by build.mjs.
module.exports = require('./dist/index.js').default;
