// Benchmark B: the physical limit of a write path on this machine. A raw node:http server that parses the
// JSON body and does one pg INSERT per request (pool of 10, as each service's TypeORM pool), then answers 201.
// BASELINE_PORT, DATABASE_URL from the environment; the table is bench.baseline in the bench database.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Pool } from 'pg';
import { runTool } from '../lib/cli';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BASELINE_POOL ?? 10) });
  pool.on('error', () => undefined);
  await pool.query('CREATE SCHEMA IF NOT EXISTS bench');
  await pool.query('CREATE TABLE IF NOT EXISTS bench.baseline (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
          const id = randomUUID();
          await pool.query('INSERT INTO bench.baseline (id, body) VALUES ($1, $2)', [id, body]);
          const out = JSON.stringify({ id });
          response.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
          response.end(out);
        } catch (error) {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(String((error as Error).message));
        }
      })();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.BASELINE_PORT ?? 4400), '127.0.0.1', () => process.stdout.write('baseline: listening\n'));
  // Serves until the bench stops it.
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => void pool.end().then(resolve));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

runTool('baseline-server', main);
