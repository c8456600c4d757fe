/**
 * The README documents every option (with its default) and every event:
 * adding one without documenting it fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, HEARTBEAT_DEFAULTS, HEARTBEAT_KEYS, OPTION_KEYS } from './options.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const eventsSource = readFileSync(new URL('./events.ts', import.meta.url), 'utf8');
const optionsSource = readFileSync(new URL('./options.ts', import.meta.url), 'utf8');

/** The README table row of a name in backticks, or undefined. */
const row = (name: string) => readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));

describe('README', () => {
  it.each(Object.keys(OPTION_KEYS))('documents the option %s with its default', (key) => {
    const line = row(key);
    expect(line, `README options table row for ${key}`).toBeDefined();
    const value = (DEFAULTS as Record<string, unknown>)[key];
    if (typeof value === 'number') expect(line).toContain(String(value));
    if (typeof value === 'string') expect(line).toContain(`'${value}'`);
    if (typeof value === 'boolean') expect(line).toContain(String(value));
  });

  it.each(Object.keys(HEARTBEAT_KEYS))('documents heartbeat.%s with its default', (key) => {
    const line = row(`heartbeat.${key}`);
    expect(line).toBeDefined();
    const value = (HEARTBEAT_DEFAULTS as Record<string, unknown>)[key];
    if (typeof value === 'number') expect(line).toContain(String(value));
  });

  it('documents every event', () => {
    const block = eventsSource.slice(eventsSource.indexOf('export type SocketEvents'));
    const names = [...block.matchAll(/^\s+(\w+): /gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) expect(row(name), `README events table row for ${name}`).toBeDefined();
  });

  it('gives every option a @default in its TSDoc', () => {
    const body = optionsSource.slice(optionsSource.indexOf('export interface Options'), optionsSource.indexOf('/** Heartbeat settings after defaults'));
    const declared = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]!);
    expect(declared.sort()).toEqual(Object.keys(OPTION_KEYS).sort());
    const docs = body.split(/^ {2}\w+\?:.*$/m).slice(0, -1);
    docs.forEach((doc, i) => expect(doc, `@default of ${declared[i]}`).toMatch(/@default /));
  });

  it.each(['beacon.ts', 'opentelemetry.ts', 'datadog.ts', 'watch.ts'])('documents every option of %s, with its @default', (file) => {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    const blocks = [...source.matchAll(/export interface \w*Options[^{]*\{([\s\S]*?)\n\}/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const body of blocks) {
      const declared = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]!);
      const docs = body.split(/^ {2}\w+\?:.*$/m).slice(0, -1);
      declared.forEach((name, i) => {
        expect(docs[i], `@default of ${name} in ${file}`).toMatch(/@default /);
        expect(row(name), `README row for ${name}`).toBeDefined();
      });
    }
  });
});
