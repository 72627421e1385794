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
export { parseTraceEvents } from './events/parse-trace-events.js';
export { expandFormat } from './events/expand-format.js';
export type { PriStyle } from './events/expand-format.js';
export type { ExpandFormatResult, ExpandedFormat, FormatSyntaxError } from './events/expand-format.js';
export { quoteText } from './events/quote-text.js';
export type { QuoteOptions } from './events/quote-text.js';
export { resolveArgType, normalizeTypeText, isStringType, ALLOWED_TYPE_WORDS } from './events/arg-types.js';
export type { ArgTypeResult, ArgTypeProblem } from './events/arg-types.js';
export { MAX_EVENT_ARGS } from './events/parse-args.js';
export { loadCatalog, loadCatalogUnchecked, catalogFromText } from './catalog/load-catalog.js';
export type { LoadCatalogOptions } from './catalog/load-catalog.js';
export { canonicalForm, catalogHash, CANONICAL_HEADER } from './catalog/canonical.js';
export {
  GUEST_ID_BASE,
  GUEST_RANGE_STRIDE,
  HEADER_RECORD_ID,
  DROPPED_RECORD_ID,
  HOST_EVENT_LIMIT,
  guestBase,
  validateRanges,
} from './catalog/id-ranges.js';
export type { IdRange } from './catalog/id-ranges.js';
export { flattenCatalog, eventLine, FLATTEN_HEADER } from './catalog/flatten.js';
export { formatDiagnostic, diagnosticsOf } from './catalog/diagnostics.js';
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
export { UT32, UT32_OPS, UT32_INSTRUCTION_BYTES, UT32_REGISTER_COUNT, UT32_SP, ut32OpInfo } from './guest/ut32-opcodes.js';
export type { Ut32Form, Ut32OpInfo } from './guest/ut32-opcodes.js';

export { ByteWriter, createByteWriter, DEFAULT_BYTE_WRITER_CAPACITY } from './format/byte-writer.js';
export { parseFormat, scanFormat, MAX_FIELD_WIDTH } from './format/parse-format.js';
export type {
  FormatSpec,
  FormatPiece,
  FormatScan,
  ConversionSpec,
  LiteralPiece,
  LengthModifier,
  ConversionChar,
} from './format/parse-format.js';
export { compileFormat, CompiledFormat } from './format/compile-format.js';
export { compileEventFormat } from './format/compile-event.js';
export { renderPayload, renderValues, renderValuesInto } from './format/render.js';
export type { RenderValue } from './format/render.js';
export { FORMAT_MARKERS } from './format/format-op.js';
