// The TypeScript SDK's MCP client (the one inside the MCP Inspector and OpenCode), driven by a Java
// test over a line protocol, so the test can assert on exactly what such a client hands its caller.
//
//   NODE_PATH=<node_modules with @modelcontextprotocol/sdk> node mcp-client.cjs '<connect json>'
//   connect: {"stdio":{"command":"java","args":[...],"env":{...}}} or {"http":{"url":"...","token":"..."}}
//   stdin:   one request per line: {"op":"list"} or {"op":"call","name":"...","arguments":{...}}
//   stdout:  one answer per line, in order: {"ok":<result>} or {"thrown":{"code":..,"message":".."}}
// The first stdout line is {"ready":{"server":...}} once initialize has completed.
'use strict';
const readline = require('node:readline');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const CALL_TIMEOUT_MS = 120000;

function transport(connect) {
  if (connect.stdio) {
    return new StdioClientTransport({ command: connect.stdio.command, args: connect.stdio.args,
      env: connect.stdio.env, stderr: 'inherit' });
  }
  const headers = connect.http.token ? { Authorization: 'Bearer ' + connect.http.token } : {};
  return new StreamableHTTPClientTransport(new URL(connect.http.url), { requestInit: { headers } });
}

function answer(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function main() {
  const client = new Client({ name: 'opencode-mcp-ts-client-test', version: '1.0.0' });
  await client.connect(transport(JSON.parse(process.argv[2])), { timeout: 60000 });
  answer({ ready: { server: client.getServerVersion() } });
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    try {
      if (req.op === 'list') {
        // callTool validates structured content only for tools it has listed: list first, as clients do
        answer({ ok: await client.listTools(undefined, { timeout: CALL_TIMEOUT_MS }) });
      } else {
        answer({ ok: await client.callTool({ name: req.name, arguments: req.arguments || {} }, undefined,
          { timeout: CALL_TIMEOUT_MS }) });
      }
    } catch (e) {
      answer({ thrown: { code: e.code === undefined ? null : e.code, message: String(e.message) } });
    }
  }
  await client.close();
}

main().catch((e) => {
  process.stderr.write('mcp-client.cjs: ' + (e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
