// A small line emitter with indentation: each generator builds its text with its own emitter, never globals.

/** Collects lines of generated text. */
export interface Emitter {
  /** Appends one line at the current indentation ('' gives an empty line). */
  line(text?: string): Emitter;
  /** Appends several lines. */
  lines(texts: readonly string[]): Emitter;
  /** Runs `body` one level deeper. */
  indent(body: () => void): Emitter;
  /** `open` line, the body indented, then `close` line. */
  block(open: string, body: () => void, close?: string): Emitter;
  /** The text so far, every line ending with `\n`. */
  toString(): string;
}

/** Creates an emitter indenting by `unit` (two spaces by default). */
export function createEmitter(unit = '  '): Emitter {
  const out: string[] = [];
  let depth = 0;
  const emitter: Emitter = {
    line(text = '') {
      out.push(text === '' ? '' : unit.repeat(depth) + text);
      return emitter;
    },
    lines(texts) {
      for (const t of texts) emitter.line(t);
      return emitter;
    },
    indent(body) {
      depth++;
      try {
        body();
      } finally {
        depth--;
      }
      return emitter;
    },
    block(open, body, close = '}') {
      emitter.line(open);
      emitter.indent(body);
      return emitter.line(close);
    },
    toString() {
      return out.map((l) => `${l}\n`).join('');
    },
  };
  return emitter;
}
