// Public face of @unitrace/core: explicit named exports only.
export { TraceError, formatLocation, isTraceError } from './errors.js';
export type { TraceErrorCode, SourceLocation, TraceErrorOptions } from './errors.js';

export type {
  ArgKind,
  ArgType,
  ArgDecl,
  EventDecl,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticWarningCode,
  ParseResult,
  IncludeDirective,
} from './events/decl.js';
export type { Catalog, CatalogSource, SourceKind } from './catalog/catalog.js';
export type { Registry, SourceInfo, EventRef, EventState, StateChange, EnableResult } from './registry/types.js';
export { createRegistry } from './registry/registry.js';
export type { RegistryOptions } from './registry/registry.js';
export { isPattern, compilePattern, matchPattern } from './registry/pattern.js';
export type { NameMatcher } from './registry/pattern.js';
export { describeId } from './registry/describe-id.js';
export { splitEventsFile } from './registry/events-file.js';
export type { EventsFileLine } from './registry/events-file.js';

export {
  RECORD_TYPE_MAPPING,
  RECORD_TYPE_EVENT,
  HEADER_EVENT_ID,
  DROPPED_EVENT_ID,
  SIMPLETRACE_MAGIC,
  SIMPLETRACE_VERSION,
  MAX_TRACE_STRLEN,
  RECORD_HEADER_BYTES,
  REC_TYPE,
  REC_ID,
  REC_TIMESTAMP,
  REC_LENGTH,
  REC_PID,
  REC_PAYLOAD,
  recordId,
  recordTimestamp,
} from './record.js';
export type { RecordBatch } from './record.js';
export { BatchWriter, DEFAULT_BATCH_BYTES, MAX_RECORD_BYTES, copyRecord, stringBytes } from './record-writer.js';
export { toStoredWord, toStoredString, payloadBytes, writeArgs, decodeArgs, typedValue } from './values/arg-values.js';
export type { ArgValue, RawArg } from './values/arg-values.js';

export { createMonotonicClock, createManualClock } from './clock.js';
export type { Clock, ManualClock } from './clock.js';

export { SINK_API_VERSION } from './sink/sink.js';
export type { Sink, SinkEnv, SinkModule, SinkStats } from './sink/sink.js';
export {
  parseBackendSpec,
  backendOptions,
  loadSinkModule,
  validateSinkModule,
  isModulePath,
  BUILTIN_BACKENDS,
} from './sink/load-sink.js';
export type { BackendSpec, ModuleImporter } from './sink/load-sink.js';
export { registerExitFlush } from './sink/exit-flush.js';
export type { SyncFlushable } from './sink/exit-flush.js';

export { createTracer, Tracer } from './tracer/tracer.js';
export type { TracerOptions, SinkFilter, SinkStatus } from './tracer/tracer.js';
export { checkGeneratedCatalog } from './tracer/check-generated.js';
export type { Cpu, GuestMain } from './guest/cpu.js';
