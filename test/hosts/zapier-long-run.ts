/**
 * Lets one process run the Zapier app thousands of times (the fuzz suite, the action soak and its
 * benchmark). zapier-platform-core kills its process once it has handled 250 invocations while RSS is
 * over 450 MB (`src/tools/memory-checker.js`, limits in `src/constants.js`): a guard for the Lambda
 * containers Zapier recycles between runs, where each invocation starts small. A harness that keeps
 * the emulator, the n8n host and thousands of cases in the same process passes that line without
 * leaking, so for these harnesses only the limit is lifted; no product code path imports this file.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- core exposes the limits only as this module
const constants = require('zapier-platform-core/src/constants') as { KILL_MAX_LIMIT: number };

constants.KILL_MAX_LIMIT = Number.POSITIVE_INFINITY;
