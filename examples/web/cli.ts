// `npm run demo:web`: builds the web demo with esbuild and serves it on localhost.
//   npm run demo:web                  http://127.0.0.1:8080/
//   npm run demo:web -- --port 9000   another port
//   npm run demo:web -- --isolated    with cross-origin isolation (SharedArrayBuffer, worker pool)
import { serveWeb } from './serve.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--port');
const port = at >= 0 ? Number(args[at + 1]) : 8080;
const server = await serveWeb({ entries: { '/demo.js': 'examples/web/main.ts' }, port, crossOriginIsolated: args.includes('--isolated') });
console.log(`canopy web demo: ${server.url}  (Ctrl+C to stop)`);
