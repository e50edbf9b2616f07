import { describe, expect, test } from 'bun:test'
import { cleanSchema, geminiSchemaToJsonSchema } from '../../../src/dialects/gemini/index.ts'

describe('cleanSchema: JSON Schema → the OpenAPI subset Gemini accepts', () => {
  const table: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'drops $schema, $id, additionalProperties, default, examples, $comment, exclusive bounds',
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'urn:x',
        $comment: 'c',
        type: 'object',
        additionalProperties: false,
        properties: { n: { type: 'number', default: 1, examples: [2], exclusiveMinimum: 0, exclusiveMaximum: 10, minimum: 1, maximum: 9 } },
      },
      { type: 'object', properties: { n: { type: 'number', minimum: 1, maximum: 9 } } },
    ],
    [
      'drops patternProperties, unevaluatedProperties, dependentRequired, if/then/else, not',
      {
        type: 'object',
        properties: { a: { type: 'string' } },
        patternProperties: { '^x': { type: 'string' } },
        unevaluatedProperties: false,
        dependentRequired: { a: ['b'] },
        if: { properties: { a: { const: 'x' } } },
        then: { required: ['a'] },
        else: {},
        not: { required: ['z'] },
      },
      { type: 'object', properties: { a: { type: 'string' } } },
    ],
    ['type [x, "null"] becomes x + nullable', { type: ['string', 'null'], description: 'd' }, { type: 'string', description: 'd', nullable: true }],
    ['several non-null types become anyOf', { type: ['string', 'integer'] }, { anyOf: [{ type: 'string' }, { type: 'integer' }] }],
    [
      'anyOf with a null member collapses to nullable',
      { anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }], description: 'maybe' },
      { type: 'string', description: 'maybe', nullable: true, maxLength: 3 },
    ],
    ['oneOf becomes anyOf', { oneOf: [{ type: 'string' }, { type: 'number' }] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }],
    ['const becomes a single-value enum', { type: 'string', const: 'fixed' }, { type: 'string', enum: ['fixed'] }],
    ['enum values become strings, null values nullable', { type: 'integer', enum: [1, 2, null] }, { type: 'string', nullable: true, enum: ['1', '2'] }],
    [
      'inlines $defs and definitions references, sibling keywords win',
      {
        type: 'object',
        properties: { a: { $ref: '#/$defs/Point', description: 'where' }, b: { $ref: '#/definitions/Name' } },
        $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'], description: 'a point' } },
        definitions: { Name: { type: 'string', minLength: 1 } },
      },
      {
        type: 'object',
        properties: {
          a: { type: 'object', description: 'where', properties: { x: { type: 'number' } }, required: ['x'] },
          b: { type: 'string', minLength: 1 },
        },
      },
    ],
    [
      'cuts recursive references where they repeat',
      {
        type: 'object',
        properties: { node: { $ref: '#/$defs/Node' } },
        $defs: {
          Node: {
            type: 'object',
            properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node', description: 'child' } } },
          },
        },
      },
      {
        type: 'object',
        properties: {
          node: { type: 'object', properties: { value: { type: 'string' }, children: { type: 'array', items: { description: 'child' } } } },
        },
      },
    ],
    [
      'an unresolvable reference keeps only its siblings',
      { type: 'object', properties: { a: { $ref: 'https://x/y.json', description: 'remote' } } },
      { type: 'object', properties: { a: { description: 'remote' } } },
    ],
    [
      'allOf members merge into the parent',
      {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'number' } }, required: ['b'] },
        ],
        description: 'both',
      },
      { type: 'object', description: 'both', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a', 'b'] },
    ],
    [
      'required keeps only declared properties',
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] },
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    ],
    ['required without properties is dropped', { type: 'object', required: ['a'] }, { type: 'object' }],
    [
      'missing types are inferred',
      { properties: { list: { items: { type: 'string' } } } },
      { type: 'object', properties: { list: { type: 'array', items: { type: 'string' } } } },
    ],
    ['an array without items gets string items', { type: 'array', minItems: 1 }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
    ['tuple items keep the first schema', { type: 'array', items: [{ type: 'number' }, { type: 'string' }] }, { type: 'array', items: { type: 'number' } }],
    [
      'formats Gemini does not support are dropped',
      {
        type: 'object',
        properties: {
          u: { type: 'string', format: 'uri' },
          d: { type: 'string', format: 'date-time' },
          i: { type: 'integer', format: 'int64' },
          f: { type: 'number', format: 'currency' },
        },
      },
      {
        type: 'object',
        properties: { u: { type: 'string' }, d: { type: 'string', format: 'date-time' }, i: { type: 'integer', format: 'int64' }, f: { type: 'number' } },
      },
    ],
    ['boolean and non-object sub-schemas become empty schemas', { type: 'object', properties: { any: true } }, { type: 'object', properties: { any: {} } }],
  ]
  for (const [name, input, expected] of table) {
    test(name, () => {
      expect(cleanSchema(input)).toEqual(expected)
    })
  }

  test('never mutates its input', () => {
    const input = {
      type: 'object',
      $defs: { A: { type: ['string', 'null'], const: 'a' } },
      properties: { a: { $ref: '#/$defs/A' }, b: { allOf: [{ properties: { c: { type: 'string' } }, required: ['c', 'd'] }] } },
      required: ['a', 'zzz'],
    }
    const before = structuredClone(input)
    cleanSchema(input)
    expect(input).toEqual(before)
  })
})

describe('geminiSchemaToJsonSchema: Gemini Schema → JSON Schema', () => {
  test('lower-cases types and turns nullable into a null type, recursively', () => {
    expect(
      geminiSchemaToJsonSchema({
        type: 'OBJECT',
        properties: {
          tags: { type: 'ARRAY', items: { type: 'STRING', enum: ['a', 'b'], format: 'enum' } },
          note: { type: 'STRING', nullable: true, description: 'optional' },
          choice: { anyOf: [{ type: 'INTEGER' }, { type: 'BOOLEAN' }], nullable: true },
        },
        required: ['tags'],
        propertyOrdering: ['tags', 'note'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'], format: 'enum' } },
        note: { type: ['string', 'null'], description: 'optional' },
        choice: { anyOf: [{ type: 'integer' }, { type: 'boolean' }, { type: 'null' }] },
      },
      required: ['tags'],
      propertyOrdering: ['tags', 'note'],
    })
  })

  test('cleanSchema turns the converted schema back into the Gemini form', () => {
    const gemini = { type: 'object', properties: { note: { type: 'string', nullable: true } }, required: ['note'] }
    expect(cleanSchema(geminiSchemaToJsonSchema(gemini))).toEqual(gemini)
  })
})
