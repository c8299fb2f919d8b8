import { join } from 'node:path';
import { root } from './env.mjs';

/** The four services, their default ports and the variable that moves each (CONTRACT §2). */
export const SERVICES = [
  { name: 'intake', portVar: 'INTAKE_PORT', port: 3001 },
  { name: 'investigation', portVar: 'INVESTIGATION_PORT', port: 3002 },
  { name: 'refund', portVar: 'REFUND_PORT', port: 3003 },
  { name: 'notification', portVar: 'NOTIFICATION_PORT', port: 3004 },
].map((service) => ({
  ...service,
  port: Number(process.env[service.portVar] ?? service.port),
  entry: join(root, 'dist', 'apps', service.name, 'apps', service.name, 'src', 'main.js'),
}));
