// `node bench/start-time.mjs [DIR]`: runs `npm start` in DIR (default: here) with PORT=0 and an in-memory
// database, prints the seconds until the banner, sends SIGTERM to npm, and reports whether the
// server's port is closed 3 s later (it stayed open when npm start left the server running).
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
const cwd = process.argv[2] ?? process.cwd();
const t0 = performance.now();
const p = spawn('npm', ['start'], { cwd, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HEYMARKET_MOCK_DB: ':memory:', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
p.stderr.resume();
p.stdout.setEncoding('utf8').on('data', (d) => {
  out += d;
  const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
  if (!m || p.done) return;
  p.done = true;
  const s = ((performance.now() - t0) / 1000).toFixed(2);
  p.kill('SIGTERM');
  setTimeout(() => {
    const sock = connect({ host: '127.0.0.1', port: Number(m[1]) });
    const report = (open) => { console.log(`banner after ${s} s; 3 s after SIGTERM to npm the port is ${open ? 'STILL OPEN (server left running)' : 'closed'}`); sock.destroy(); process.exit(0); };
    sock.once('connect', () => report(true));
    sock.once('error', () => report(false));
  }, 3000);
});
