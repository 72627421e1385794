// Public face of @unitrace/core/codegen: the pure code generator, one module per output format.
export { createEmitter } from './emitter.js';
export type { Emitter } from './emitter.js';
export { jsIdentifier, cIdentifier } from './names.js';
export { generateHostTs } from './formats/host-ts.js';
export type { HostTsOptions } from './formats/host-ts.js';
export { generateEventsAll } from './formats/events-all.js';
export type { EventsAllOptions } from './formats/events-all.js';
export { generateIdsJson } from './formats/ids-json.js';
export type { IdsJsonOptions } from './formats/ids-json.js';
export { generateFirmwareTs } from './formats/firmware-ts.js';
export type { FirmwareTsOptions } from './formats/firmware-ts.js';
export { generateCHeader } from './formats/c-header.js';
export type { CHeaderOptions } from './formats/c-header.js';
