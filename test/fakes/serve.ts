/**
 * CLI: node out/test/fakes/serve.js [--port N] [--latency MS] [--slow MS] [--query-duration MS]
 *
 * Starts the local Clean Rooms endpoint on 127.0.0.1, prints one JSON line
 * {"url": "...", "port": N} to stdout, and exits cleanly on SIGINT/SIGTERM.
 */
import { startCleanRoomsEndpoint, type EndpointOptions } from './cleanRoomsEndpoint';

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: node out/test/fakes/serve.js [--port N] [--latency MS] [--slow MS] [--query-duration MS]\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): EndpointOptions {
  const opts: EndpointOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (name === '--help' || name === '-h') usage('Local AWS Clean Rooms endpoint.');
    if (value === undefined || !/^\d+$/.test(value)) usage(`${name} needs a non-negative integer`);
    const n = Number(value);
    if (name === '--port') {
      if (n > 65535) usage('--port must be at most 65535');
      opts.port = n;
    } else if (name === '--latency') opts.latencyMs = n;
    else if (name === '--slow') opts.slowMs = n;
    else if (name === '--query-duration') opts.queryDurationMs = n;
    else usage(`unknown option ${name}`);
  }
  return opts;
}

async function main(): Promise<void> {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const endpoint = await startCleanRoomsEndpoint(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ url: endpoint.url, port: endpoint.port })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    endpoint.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
