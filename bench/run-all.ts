/** `npm run bench`: every benchmark in bench/, one after another (they would skew each other in parallel). */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const benches = readdirSync('bench').filter((name) => name.endsWith('.bench.ts')).sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${bench}`], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${bench} failed (exit ${result.status ?? result.signal})`);
  }
}
console.log(`\n${benches.length - failed} of ${benches.length} benchmarks ran; figures are in bench/results/.`);
process.exit(failed === 0 ? 0 : 1);
