// Public face of @unitrace/backend-ust-json: the factory, the module the CLI loads, and the record names.
import { ustJsonSinkModule } from './create.js';

export { createUstJsonSink, ustJsonSinkModule } from './create.js';
export type { UstJsonSinkOptions } from './options.js';
export { DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH } from './options.js';
export { DROPPED_RECORD_NAME } from './encode/event-plan.js';

export default ustJsonSinkModule;
