// @ts-check
/**
 * The progress line on stderr: one line rewritten in place on a terminal,
 * plain lines (at most one per second, plus every section change) otherwise.
 */

const started = Date.now();
const tty = Boolean(process.stderr.isTTY);
let section = '';
let lastPlain = 0;
let lastText = '';

function clock() {
  const s = Math.floor((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Starts a section: printed on its own line. @param {string} name */
export function begin(name) {
  section = name;
  if (tty) process.stderr.write('\r\x1b[K');
  process.stderr.write(`[${clock()}] ${name}\n`);
  lastPlain = Date.now();
}

/** Updates the detail of the current section. @param {string} detail */
export function progress(detail) {
  const text = `[${clock()}] ${section}: ${detail}`;
  if (tty) {
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns || 120) - 1)}`);
  } else if (Date.now() - lastPlain >= 1000 && text !== lastText) {
    process.stderr.write(text + '\n');
    lastPlain = Date.now();
  }
  lastText = text;
}

/** Ends the progress line (before the report goes to stdout). */
export function done() {
  if (tty) process.stderr.write('\r\x1b[K');
  process.stderr.write(`[${clock()}] done\n`);
}

/** Seconds since the bench started. */
export function elapsedSeconds() {
  return Math.round((Date.now() - started) / 100) / 10;
}
