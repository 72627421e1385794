// A sink that only counts records per source, for the run summary. Allocates nothing per record.
import type { RecordBatch, Registry, Sink, SourceInfo } from '@unitrace/core';

/** Counts the records that reached the sinks, per registry source. */
export class CountingSink implements Sink {
  readonly name = 'count';
  /** Records per source, by `Registry.sources` position. */
  readonly perSource: Float64Array;
  /** Dropped-records notices received (losses upstream of every sink), summed. */
  droppedUpstream = 0;
  readonly #sourceOf: Uint16Array;

  constructor(registry: Registry) {
    this.perSource = new Float64Array(registry.sources.length);
    this.#sourceOf = new Uint16Array(registry.size);
    for (const source of registry.sources) this.#sourceOf.fill(source.index, source.first, source.first + source.events.length);
  }

  describe(_source: SourceInfo): void {}

  write(batch: RecordBatch): void {
    const events = batch.events;
    for (let i = 0; i < batch.count; i++) this.perSource[this.#sourceOf[events[i]]]++;
  }

  dropped(count: number): void {
    this.droppedUpstream += count;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
