// Test helper: the identifier tokens of generated source text that are code, not string, template or comment text.
// One lexer for every language `unitrace gen` writes (TypeScript, C, JSON, trace-events): C-family comments,
// '…', "…" and `…` literals with backslash escapes; `${` inside a template is code again, as in JavaScript.

/** Identifiers outside literals and comments, in order. A payload that escaped its literal shows up here. */
export function codeTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  let templateDepth = 0; // open `${ … }` holes we are inside, each ended by its matching `}`
  const braces: number[] = [];
  let depth = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`' || (c === '}' && templateDepth > 0 && braces[braces.length - 1] === depth)) {
      if (c === '}') {
        braces.pop();
        templateDepth--;
      }
      i++;
      while (i < n && text[i] !== '`') {
        if (text[i] === '\\') i += 2;
        else if (text[i] === '$' && text[i + 1] === '{') {
          templateDepth++;
          braces.push(depth);
          i += 2;
          break;
        } else i++;
      }
      if (text[i] === '`') i++;
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < n && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      out.push(text.slice(start, i));
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      i++;
    }
  }
  return out;
}
