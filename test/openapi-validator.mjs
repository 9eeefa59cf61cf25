// A Node-side OpenAPI validator for the workerd tests (@seriousme/openapi-schema-validator checks a document
// against the official OpenAPI 3.x JSON schemas with ajv, whose generated code workerd would refuse to run).
// POST /validate with a document → { valid, version, errors }.
import http from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';

export async function startOpenApiValidator() {
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    let out;
    try {
      const validator = new Validator();
      const result = await validator.validate(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      out = { valid: result.valid, version: validator.version, errors: result.errors ?? null };
    } catch (e) {
      out = { valid: false, version: null, errors: String(e) };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(() => r())) };
}
