// Public face of @unitrace/tools: the analyzer API, the Chrome trace-event sink and simpletrace's text formats.
export { Analyzer } from './analyzer/analyzer.js';
export type { AnalyzerArgs, AnalyzerEventInfo, AnalyzerHandler, AnalyzerValue } from './analyzer/analyzer.js';
export { process, process as processTrace } from './analyzer/process.js';
export type { ProcessOptions } from './analyzer/process.js';
export { run } from './analyzer/run.js';
export { createChromeSink } from './chrome/chrome-sink.js';
export type { ChromeSinkOptions } from './chrome/chrome-sink.js';
export { SimpletraceFormatter } from './simpletrace/formatter.js';
export { pyBytesRepr } from './simpletrace/py-repr.js';
export { defaultCatalogPath } from './catalog-args.js';
