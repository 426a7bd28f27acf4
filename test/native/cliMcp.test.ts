/**
 * `hotpath mcp` driven by a real MCP client: the official TypeScript SDK's Client over its stdio
 * transport starts the shipped CLI (bin/hotpath.js mcp), lists the tools and calls them, the way
 * an agent outside VS Code would. The profiled script is test/native/scripts/quick.py's kind: a
 * busy function on a marked line, so where the time must land is known.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, cliWorkspace } from './helpers/cli';

const SCRIPT = `import sys, time


def spin(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:  # HOT
        pass


def main():
    spin(0.4)
    print("done", sys.argv[1:])


main()
`;
const HOT_LINE = SCRIPT.split('\n').findIndex((line) => line.includes('# HOT')) + 1;

type ToolResult = { content: { type: string; text: string }[]; isError?: boolean };
const text = (result: unknown) => (result as ToolResult).content.map((part) => part.text).join('');

describe('hotpath mcp with the MCP SDK client', () => {
  const workspace = cliWorkspace('mcp');
  let client: Client;

  before(async () => {
    writeFileSync(join(workspace.dir, 'busy.py'), SCRIPT);
    client = new Client({ name: 'hotpath-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp'],
        cwd: workspace.dir,
        stderr: 'pipe',
      }),
    );
  });
  after(() => client?.close());

  test('names the server and lists its two tools with their input schemas', async () => {
    assert.equal(client.getServerVersion()?.name, 'hotpath');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['profile', 'read_profile']);
    const profile = tools.find((tool) => tool.name === 'profile')!;
    assert.equal(profile.inputSchema.type, 'object');
    assert.ok(profile.inputSchema.properties && 'script' in profile.inputSchema.properties);
  });

  test('profile runs a script and answers with its hot line, its output and the saved file', async () => {
    const result = await client.callTool({
      name: 'profile',
      arguments: { script: 'busy.py', args: ['--fast'], lines: 3, save: 'busy.hotpath.json' },
    });
    const answer = text(result);
    assert.equal((result as ToolResult).isError, false, answer);
    assert.match(answer, /^Command: .*busy\.py --fast/);
    const hot = answer.split('\n').find((line) => line.startsWith('  busy.py:'));
    assert.match(
      hot ?? '',
      new RegExp(`^  busy\\.py:${HOT_LINE} .*%.*\\| while time\\.perf_counter\\(\\) < end:`),
    );
    assert.match(answer, /Hottest call paths[^]*main \(busy\.py:\d+\) > spin \(busy\.py:\d+\)/);
    assert.match(answer, /Program output \(last lines\):\ndone \['--fast'\]/);
    assert.ok(existsSync(join(workspace.dir, 'busy.hotpath.json')));
  });

  test('read_profile reads the last profile and a saved one; bad input is a tool error', async () => {
    assert.match(text(await client.callTool({ name: 'read_profile', arguments: {} })), /busy\.py --fast/);
    const saved = text(
      await client.callTool({
        name: 'read_profile',
        arguments: { profile: join(workspace.dir, 'busy.hotpath.json') },
      }),
    );
    assert.match(saved, /Saved profile: .*busy\.hotpath\.json/);
    const missing = (await client.callTool({
      name: 'profile',
      arguments: { script: 'nope.py' },
    })) as ToolResult;
    assert.equal(missing.isError, true);
    assert.match(text(missing), /nope\.py does not exist\. \[HOTPATH_SCRIPT_NOT_FOUND\]/);
  });
});
