// Aligned text columns for listings.

/**
 * Lays out rows as columns separated by two spaces, each padded to its widest cell; the last column is not padded
 * and trailing spaces are trimmed. Cells must not contain newlines.
 */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  ').trimEnd());
}
