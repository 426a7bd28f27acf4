/**
 * `hotpath mcp`: the Model Context Protocol over stdio, for agents outside VS Code. One JSON-RPC
 * 2.0 message per line on stdin and stdout (the protocol's stdio transport); stdout carries
 * nothing else, so a profiled program's output is captured, never passed through. Only what the
 * tools need: initialize, ping, tools/list and tools/call (mcpTools.ts). Requests are answered
 * one at a time, in order. No `vscode` import.
 */
import * as readline from 'node:readline';
import type { McpTool } from './mcpTools';

/** Protocol revisions this server speaks; a client asking for another gets the newest. */
const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

interface Request {
  jsonrpc: '2.0';
  id?: string | number;
  method: string;
  params?: Record<string, unknown>;
}

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

export async function serveMcp(
  tools: readonly McpTool[],
  server: { name: string; version: string },
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const send = (message: object) => output.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const fail = (id: string | number | null, code: number, message: string) =>
    send({ id, error: { code, message } });

  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let request: Request;
    try {
      request = JSON.parse(line) as Request;
    } catch {
      fail(null, PARSE_ERROR, 'not JSON');
      continue;
    }
    if (typeof request !== 'object' || request === null || typeof request.method !== 'string') {
      fail(null, INVALID_REQUEST, 'not a JSON-RPC request');
      continue;
    }
    // Notifications (no id) need no answer: initialized, cancelled.
    if (request.id === undefined) continue;
    const id = request.id;
    switch (request.method) {
      case 'initialize': {
        const asked = request.params?.protocolVersion;
        send({
          id,
          result: {
            protocolVersion:
              typeof asked === 'string' && PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
            capabilities: { tools: { listChanged: false } },
            serverInfo: server,
            instructions:
              'Hotpath profiles Python programs with a sampling profiler: call profile to run a script, ' +
              'a module or a test under it and read where the time goes; read_profile reads the last ' +
              'or a saved profile.',
          },
        });
        break;
      }
      case 'ping':
        send({ id, result: {} });
        break;
      case 'tools/list':
        send({
          id,
          result: {
            tools: tools.map(({ name, title, description, inputSchema }) => ({
              name,
              title,
              description,
              inputSchema,
            })),
          },
        });
        break;
      case 'tools/call': {
        const name = request.params?.name;
        const tool = tools.find((t) => t.name === name);
        if (!tool) {
          fail(
            id,
            INVALID_PARAMS,
            `unknown tool ${String(name)}; the tools are ${tools.map((t) => t.name).join(', ')}`,
          );
          break;
        }
        const args = request.params?.arguments;
        try {
          const text = await tool.call(
            typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {},
          );
          send({ id, result: { content: [{ type: 'text', text }], isError: false } });
        } catch (error) {
          // A tool's failure is an answer the model reads, not a protocol error.
          send({
            id,
            result: { content: [{ type: 'text', text: (error as Error).message }], isError: true },
          });
        }
        break;
      }
      default:
        fail(id, METHOD_NOT_FOUND, `${request.method} is not supported by this server`);
    }
  }
}
