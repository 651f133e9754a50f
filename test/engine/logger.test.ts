import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/engine/log/logger';
import { isSecretKey, REDACTED, redactFields, SecretScrubber } from '../../src/main/engine/log/redact';
import { captureLog } from '../support/log-capture';

describe('JSON-line logger', () => {
  it('writes one JSON object per line with level, msg, time and fields', () => {
    const { logger, records } = captureLog('info');
    logger.child({ component: 'test' }).info('hello', { n: 1 });
    logger.debug('not shown at info');
    const [line] = records();
    expect(records()).toHaveLength(1);
    expect(line).toMatchObject({ level: 'info', msg: 'hello', component: 'test', n: 1 });
    expect(new Date(String(line?.time)).getTime()).not.toBeNaN();
  });

  it('redacts secret-named fields at any depth, even at debug level', () => {
    const log = captureLog('debug');
    log.logger.debug('login', {
      password: 'hunter2-password',
      profile: { apiKey: 'ABC123DEF456', nested: [{ token: 'tok-999999' }], hash: 'deadbeefcafe' },
      authorization: 'Basic Zm9vOmJhcg==',
      user: 'alice',
    });
    const text = log.text();
    for (const secret of ['hunter2-password', 'ABC123DEF456', 'tok-999999', 'deadbeefcafe', 'Zm9vOmJhcg==']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('alice');
    expect(text).toContain('[redacted]');
  });

  it('scrubs registered secret values inside every field value, nested and in errors', () => {
    const log = captureLog('debug');
    log.logger.addSecret('s3cr3t"key');
    log.logger.child({ component: 'x' }).warn('peer sent a key in a URL', {
      url: 'wss://h/?k=s3cr3t"key',
      nested: { list: ['a s3cr3t"key b'] },
      error: new Error('refused s3cr3t"key'),
    });
    expect(log.text()).not.toContain('s3cr3t');
    expect(log.records()[0]).toMatchObject({
      level: 'warn',
      msg: 'peer sent a key in a URL',
      url: 'wss://h/?k=[redacted]',
    });
  });

  it('never changes keys, time, level or msg, ignores short and common values, and drops disposed secrets', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      sinks: [(line) => lines.push(line)],
      now: () => new Date(0),
    });
    // A PBX that picks its nonce as "info" or "level" must not corrupt the log.
    for (const value of ['info', 'level', 'msg', 'time', 'error', '1234']) logger.addSecret(value);
    const dispose = logger.addSecret('per-connection-hash-9f8e');
    logger.info('info level msg', { level2: 'info', detail: 'x per-connection-hash-9f8e y' });
    dispose();
    logger.info('after', { note: 'per-connection-hash-9f8e' });
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toEqual({
      time: new Date(0).toISOString(),
      level: 'info',
      msg: 'info level msg',
      level2: 'info',
      detail: 'x [redacted] y',
    });
    expect(second).toMatchObject({ level: 'info', msg: 'after', note: 'per-connection-hash-9f8e' });
  });

  it('never throws on unserialisable fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ sinks: [(line) => lines.push(line)] });
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => logger.info('cyclic', { loop })).not.toThrow();
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'cyclic' });
  });
});

describe('stream sink', () => {
  async function collectingSink(delayMs: number) {
    const { PassThrough } = await import('node:stream');
    const { streamSink } = await import('../../src/main/engine/log/logger');
    const stream = new PassThrough();
    const writes: string[] = [];
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string) => {
      writes.push(chunk);
      return write(chunk);
    }) as typeof stream.write;
    return { sink: streamSink(stream, delayMs), writes };
  }

  it('gathers the lines of several turns into one write, in order, once the delay is over', async () => {
    const { sink, writes } = await collectingSink(30);
    sink('{"n":1}', 'info');
    await new Promise((resolve) => setImmediate(resolve));
    sink('{"n":2}', 'info');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n']);
  });

  it('writes at once on flush, and a later line starts a new batch', async () => {
    const { sink, writes } = await collectingSink(10_000);
    sink('{"n":1}', 'info');
    sink.flush();
    expect(writes).toEqual(['{"n":1}\n']);
    sink.flush();
    expect(writes, 'an empty flush writes nothing').toHaveLength(1);
    sink('{"n":2}', 'info');
    sink.flush();
    expect(writes).toEqual(['{"n":1}\n', '{"n":2}\n']);
  });

  it('writes a large backlog without waiting for the delay', async () => {
    const { sink, writes } = await collectingSink(10_000);
    const line = JSON.stringify({ filler: 'x'.repeat(1_000) });
    for (let i = 0; i < 100; i++) sink(line, 'info');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.join('').split('\n').filter(Boolean).length).toBeLessThanOrEqual(100);
    sink.flush();
    expect(writes.join('')).toBe(`${line}\n`.repeat(100));
  });

  it('ends the log, not the process, when the stream fails (a reader that went away: EPIPE)', async () => {
    const { PassThrough } = await import('node:stream');
    const { streamSink } = await import('../../src/main/engine/log/logger');
    const stream = new PassThrough();
    const writes: string[] = [];
    stream.on('data', (chunk: Buffer) => writes.push(chunk.toString()));
    const broken: string[] = [];
    const sink = streamSink(stream, 10_000, (error) => broken.push(error.message));
    sink('{"n":1}', 'info');
    sink.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['{"n":1}\n']);
    sink('{"n":2}', 'info');
    // Without a listener this 'error' would be an uncaught exception and fail the test.
    stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(broken).toEqual(['write EPIPE']);
    sink('{"n":3}', 'info');
    expect(() => sink.flush()).not.toThrow();
    stream.emit('error', new Error('again'));
    expect(broken, 'told once').toEqual(['write EPIPE']);
  });
});

describe('redaction, copy on write', () => {
  /** The former redaction: a full deep copy (the reference the copy-on-write version must match). */
  function deepCopyRedact(value: unknown, scrub: (text: string) => string, depth = 0): unknown {
    if (typeof value === 'string') return scrub(value);
    if (typeof value === 'bigint') return value.toString();
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return { name: value.name, message: scrub(value.message) };
    if (Array.isArray(value)) return value.map((item: unknown) => deepCopyRedact(item, scrub, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] =
        isSecretKey(key) && inner != null && inner !== ''
          ? REDACTED
          : deepCopyRedact(inner, scrub, depth + 1);
    }
    return out;
  }

  const key = fc.oneof(
    fc.constantFrom('password', 'apiKey', 'token', 'user', 'number', 'nested', 'hash', 'url', 'list'),
    fc.string({ maxLength: 6 }),
  );
  const leaf = fc.oneof(
    fc.constantFrom('x s3cret-value y', 's3cret-value', '', 'plain'),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt({ min: -10n, max: 10n }),
    fc.string({ maxLength: 8 }).map((message) => new Error(message)),
    fc.date({ noInvalidDate: true }),
  );
  const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    ),
  }));

  it('gives the same record as a full deep copy, and never changes the caller’s values (property)', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('s3cret-value');
    const scrub = (text: string) => scrubber.scrub(text);
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), fc.boolean(), (fields, withScrub) => {
        const before = JSON.stringify(deepCopyRedact(fields, (t) => t, 0));
        const expected = JSON.stringify(deepCopyRedact(fields, withScrub ? scrub : (t) => t));
        expect(JSON.stringify(redactFields(fields, withScrub ? scrub : undefined))).toBe(expected);
        expect(JSON.stringify(deepCopyRedact(fields, (t) => t, 0))).toBe(before);
      }),
      { numRuns: 2_000 },
    );
  });

  it('copies nothing when no value needs a change, and only the changed branch otherwise', () => {
    const clean = { callId: 'a1', number: '0123', nested: { list: [1, 'two'] } };
    expect(redactFields(clean)).toBe(clean);
    const mixed = { keep: { list: [1, 2] }, change: { password: 'hunter2-password' } };
    const out = redactFields(mixed);
    expect(out).not.toBe(mixed);
    expect(out.keep).toBe(mixed.keep);
    expect(out.change).toEqual({ password: REDACTED });
    expect(mixed.change.password).toBe('hunter2-password');
  });
});
