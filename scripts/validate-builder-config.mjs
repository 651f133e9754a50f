// Checks electron-builder.yml against electron-builder's own JSON schema, offline (the real Windows build
// needs GitHub downloads). Usage: node scripts/validate-builder-config.mjs [file]; exit 1 on problems.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { load } from 'js-yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** One readable line per problem, e.g. `/nsis: unknown property "perMachin"`. */
export function validateBuilderConfig(config) {
  const schema = require('app-builder-lib/scheme.json');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(config)) return [];
  const errors = validate.errors ?? [];
  const lines = errors
    .filter((error) => error.keyword === 'additionalProperties')
    .map((error) => `${error.instancePath || '/'}: unknown property "${error.params.additionalProperty}"`);
  // Other failures (wrong type, bad enum value) without the anyOf noise ("must be null", "must match a schema").
  for (const error of errors) {
    if (['additionalProperties', 'anyOf', 'oneOf'].includes(error.keyword)) continue;
    if (error.keyword === 'type' && error.params.type === 'null') continue;
    lines.push(`${error.instancePath || '/'}: ${error.message}`);
  }
  return [...new Set(lines)];
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const file = path.resolve(process.argv[2] ?? path.join(root, 'electron-builder.yml'));
  const problems = validateBuilderConfig(load(readFileSync(file, 'utf8')));
  if (problems.length) {
    console.error(`${path.relative(process.cwd(), file)} does not match electron-builder's schema:`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), file)}: valid electron-builder configuration`);
}
