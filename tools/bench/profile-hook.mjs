// Loaded into a service with `node --import ./tools/bench/profile-hook.mjs main.js` by `npm run bench --
// --profile`. The first SIGWINCH starts the V8 sampling profiler, the second writes BENCH_PROFILE_PATH
// (.cpuprofile JSON, the format `node --cpu-prof` writes). Plain --cpu-prof is no use on a Nest service:
// enableShutdownHooks re-raises SIGTERM after closing, so the process dies by signal and --cpu-prof never
// writes its file; this hook also keeps boot and warm-up out of the profile. SIGWINCH because Nest's shutdown
// hooks treat SIGUSR2 (and SIGHUP, SIGQUIT…) as a shutdown signal and SIGUSR1 starts the inspector.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
let profiling = false;
process.on('SIGWINCH', async () => {
  try {
    if (!profiling) {
      profiling = true;
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
      return;
    }
    profiling = false;
    const { profile } = await post('Profiler.stop');
    writeFileSync(process.env.BENCH_PROFILE_PATH ?? `/tmp/prof/${process.pid}.cpuprofile`, JSON.stringify(profile));
  } catch (error) {
    process.stderr.write(`profile-hook: ${error.message}\n`);
  }
});
