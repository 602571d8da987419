// Differential conformance test: runs every corpus case through graphql-js (the oracle) and through our
// engine (the runner binary given as argv[2]) and fails on any difference in `data`, in whether `data`
// is present, in the printed AST, or in the errors' count, paths and locations (messages may differ).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = new URL('.', import.meta.url).pathname;
// The seed's schema and README operations live with the engine's unit tests; both suites use them.
const seedDirectory = `${here}../../libs/graphql/tests/data/`;
if (!existsSync(`${here}node_modules/graphql/package.json`)) {
  console.error('graphql_conformance: node_modules is missing; run `npm ci` in tests/graphql-conformance');
  process.exit(1);
}
const require = createRequire(import.meta.url);
const graphql = require('graphql');
const runner = process.argv[2];
if (!runner || !existsSync(runner)) {
  console.error(`graphql_conformance: runner binary not found: ${runner}`);
  process.exit(1);
}

// ---- the same schema, data and resolver conventions as runner.cpp ------------------------------------
function isRfc3339(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > days[month - 1]) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

function buildSchema(path) {
  const schema = graphql.buildSchema(readFileSync(path, 'utf8'));
  const time = schema.getType('Time');
  if (time) {
    const check = (value) => {
      if (typeof value === 'string' && isRfc3339(value)) return value;
      throw new TypeError(`Time cannot represent value: ${value}`);
    };
    time.serialize = check;
    time.parseValue = check;
    time.parseLiteral = (node) => {
      if (node.kind === graphql.Kind.STRING && isRfc3339(node.value)) return node.value;
      throw new TypeError('Time cannot represent a value that is not an RFC 3339 date-time string');
    };
  }
  return schema;
}

const schemas = { test: buildSchema(`${here}schema.graphql`), seed: buildSchema(`${seedDirectory}seed_schema.graphql`) };
const rootValue = JSON.parse(readFileSync(`${here}data.json`, 'utf8'));
const echoFields = new Set(['echo', 'withDefault', 'oneOf', 'requiredArg']);

function fieldResolver(source, args, _context, info) {
  const name = info.fieldName;
  if (echoFields.has(name)) return JSON.stringify(args);
  if (name === 'createReview') {
    const review = { episode: args.episode };
    if ('stars' in args.review) review.stars = args.review.stars;
    if ('commentary' in args.review) review.commentary = args.review.commentary;
    return review;
  }
  const member = source?.[name];
  if (member && typeof member === 'object' && '$error' in member) throw new Error(member.$error);
  return member;
}

function runOracle(testCase) {
  let document;
  try {
    document = graphql.parse(testCase.query);
  } catch (error) {
    return { printed: null, result: { errors: [error.toJSON()] } };
  }
  const printed = graphql.print(document);
  const schema = schemas[testCase.schema ?? 'test'];
  const validationErrors = graphql.validate(schema, document);
  if (validationErrors.length) return { printed, result: { errors: validationErrors.map((e) => e.toJSON()) } };
  const result = graphql.execute({
    schema, document, rootValue, fieldResolver,
    variableValues: testCase.variables, operationName: testCase.operationName,
  });
  return { printed, result: JSON.parse(JSON.stringify(result)) };
}

// ---- the corpus ------------------------------------------------------------------------------------------
// corpus/*.graphql: cases start with "=== name"; "--- variables: {json}", "--- operation: Name" and
// "--- schema: seed" lines may follow; the document is everything up to the next case.
function loadCorpus() {
  const cases = [];
  for (const file of readdirSync(`${here}corpus`).filter((f) => f.endsWith('.graphql')).sort()) {
    let current = null;
    for (const line of readFileSync(`${here}corpus/${file}`, 'utf8').split('\n')) {
      if (line.startsWith('=== ')) {
        current = { name: `${file}:${line.slice(4).trim()}`, query: [] };
        cases.push(current);
      } else if (current && current.query.length === 0 && line.startsWith('--- ')) {
        const [key, ...rest] = line.slice(4).split(':');
        const value = rest.join(':').trim();
        if (key === 'variables') current.variables = JSON.parse(value);
        else if (key === 'operation') current.operationName = value;
        else if (key === 'schema') current.schema = value;
        else throw new Error(`${file}: unknown option ${key}`);
      } else if (current) {
        current.query.push(line);
      }
    }
  }
  for (const c of cases) c.query = c.query.join('\n').replace(/\n+$/, '');
  // Generated cases: GraphiQL's introspection query in its variants, and every seed operation.
  const variants = [
    {},
    { descriptions: false },
    { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
      inputValueDeprecation: true, oneOf: true },
  ];
  variants.forEach((options, i) => {
    for (const schema of ['test', 'seed']) {
      cases.push({ name: `generated:introspection-${i}-${schema}`, schema, query: graphql.getIntrospectionQuery(options) });
    }
  });
  readFileSync(`${seedDirectory}seed_operations.graphql`, 'utf8').split('\n# ----\n').forEach((query, i) => {
    cases.push({ name: `generated:seed-operation-${i}`, schema: 'seed', query });
  });
  return cases;
}

// ---- comparison --------------------------------------------------------------------------------------------
function errorShapes(result) {
  return (result.errors ?? [])
    .map((e) => JSON.stringify({ path: e.path ?? null, locations: e.locations ?? null }))
    .sort();
}

function compare(expected, actual) {
  const problems = [];
  if (expected.printed !== actual.printed) problems.push(`printed AST differs:\n  js : ${JSON.stringify(expected.printed)}\n  cpp: ${JSON.stringify(actual.printed)}`);
  if (('data' in expected.result) !== ('data' in actual.result)) problems.push('presence of data differs');
  const expectedData = JSON.stringify(expected.result.data);
  const actualData = JSON.stringify(actual.result.data);
  if (expectedData !== actualData) {
    let at = 0;
    while (at < expectedData?.length && expectedData[at] === actualData?.[at]) at++;
    const from = Math.max(0, at - 120);
    problems.push(`data differs at character ${at}:\n  js : ...${expectedData?.slice(from, at + 120)}\n  cpp: ...${actualData?.slice(from, at + 120)}`);
  }
  const expectedErrors = errorShapes(expected.result);
  const actualErrors = errorShapes(actual.result);
  if (JSON.stringify(expectedErrors) !== JSON.stringify(actualErrors)) {
    const messages = (r) => (r.errors ?? []).map((e) => `${e.message} ${JSON.stringify(e.locations ?? [])} ${JSON.stringify(e.path ?? [])}`).join('\n       ');
    problems.push(`errors differ:\n  js : ${messages(expected.result)}\n  cpp: ${messages(actual.result)}`);
  }
  return problems;
}

const cases = loadCorpus();
const started = Date.now();
const child = spawnSync(runner, [here, seedDirectory], { input: JSON.stringify({ cases }), maxBuffer: 1 << 30, encoding: 'utf8' });
if (child.status !== 0) {
  console.error(`runner failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`);
  process.exit(1);
}
const actualByName = new Map(child.stdout.trim().split('\n').map((line) => {
  const parsed = JSON.parse(line);
  return [parsed.name, parsed];
}));

let failures = 0;
const counts = { valid: 0, invalid: 0, syntax: 0 };
for (const testCase of cases) {
  const expected = runOracle(testCase);
  if (expected.printed === null) counts.syntax++;
  else if (expected.result.data === undefined) counts.invalid++;
  else counts.valid++;
  const actual = actualByName.get(testCase.name);
  const problems = actual ? compare(expected, actual) : ['no result from the runner'];
  if (problems.length) {
    failures++;
    console.log(`MISMATCH ${testCase.name}\n${testCase.query.slice(0, 400)}\n  ${problems.join('\n  ')}\n`);
  }
}
console.log(`${cases.length} cases (${counts.valid} executed, ${counts.invalid} invalid, ${counts.syntax} syntax errors), ` +
  `${failures} mismatches, ${Date.now() - started} ms`);
process.exit(failures === 0 && cases.length >= 300 ? 0 : 1);
