/**
 * Checks a value against a type of the Chrome DevTools protocol as Chrome
 * publishes it (`devtools-protocol/json/js_protocol.json`), not as Hotpath's
 * writer declares it: every required property present, no unknown one, each of
 * the declared JSON type (integers where the protocol says integer).
 *
 *   assertProtocolType(file, 'Profiler.Profile');
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface ProtocolType {
  id?: string;
  type?: string;
  $ref?: string;
  items?: ProtocolType;
  properties?: (ProtocolType & { name: string; optional?: boolean })[];
  enum?: string[];
}

const protocol = JSON.parse(
  readFileSync(require.resolve('devtools-protocol/json/js_protocol.json'), 'utf8'),
) as { domains: { domain: string; types?: ProtocolType[] }[] };

const types = new Map<string, ProtocolType>();
for (const domain of protocol.domains) {
  for (const type of domain.types ?? []) types.set(`${domain.domain}.${type.id}`, type);
}

function resolve(ref: string, domain: string): { type: ProtocolType; domain: string } {
  const id = ref.includes('.') ? ref : `${domain}.${ref}`;
  const type = types.get(id);
  assert.ok(type, `the protocol has no type ${id}`);
  return { type, domain: id.split('.')[0] };
}

function check(value: unknown, type: ProtocolType, domain: string, where: string): void {
  if (type.$ref) {
    const target = resolve(type.$ref, domain);
    check(value, target.type, target.domain, where);
    return;
  }
  switch (type.type) {
    case 'integer':
      assert.ok(Number.isInteger(value), `${where}: integer expected, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      assert.ok(typeof value === 'number' && Number.isFinite(value), `${where}: number expected`);
      return;
    case 'string':
      assert.equal(typeof value, 'string', `${where}: string expected`);
      if (type.enum)
        assert.ok(type.enum.includes(value as string), `${where}: one of ${type.enum.join(', ')}`);
      return;
    case 'boolean':
      assert.equal(typeof value, 'boolean', `${where}: boolean expected`);
      return;
    case 'array':
      assert.ok(Array.isArray(value), `${where}: array expected`);
      value.forEach((item, i) => check(item, type.items as ProtocolType, domain, `${where}[${i}]`));
      return;
    case 'object': {
      assert.ok(
        typeof value === 'object' && value !== null && !Array.isArray(value),
        `${where}: object expected`,
      );
      const record = value as Record<string, unknown>;
      const declared = new Set((type.properties ?? []).map((p) => p.name));
      for (const key of Object.keys(record))
        assert.ok(declared.has(key), `${where}: unknown property ${key}`);
      for (const property of type.properties ?? []) {
        if (record[property.name] === undefined) {
          assert.ok(property.optional, `${where}: ${property.name} is required`);
          continue;
        }
        check(record[property.name], property, domain, `${where}.${property.name}`);
      }
      return;
    }
    default:
      assert.fail(`${where}: the protocol type ${String(type.type)} is not handled by this check`);
  }
}

/** Asserts that `value` is a valid `Domain.Type` of the DevTools protocol. */
export function assertProtocolType(value: unknown, id: string): void {
  const { type, domain } = resolve(id, '');
  check(value, type, domain, id);
}
