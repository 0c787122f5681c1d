// Names the hot spots in a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --cpu-prof`):
// the functions with the most self time, and the functions whose subtree (self + callees) takes the
// most, so "where does the server's time go" has an answer without opening DevTools.
// Run: `npx tsx bench/cpuprofile-top.ts FILE.cpuprofile [N] [--from-us A --to-us B] [--callees NAME]`; the window (in
// the monotonic microseconds the bench's --json phaseWindows give) keeps only one phase's samples.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile as `--cpu-prof` writes it. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self and total time of one function (all its call sites together). */
export interface HotSpot {
  name: string;
  selfMs: number;
  totalMs: number;
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url.replace(/^file:\/\//, '').replace(/^.*?\/(src|bench|node_modules)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
}

/** The profile with only the samples taken between fromUs and toUs (monotonic microseconds). */
export function sliceProfile(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    samples.push(profile.samples[i]);
    timeDeltas.push(samples.length === 1 ? 0 : (profile.timeDeltas[i] ?? 0));
  }
  return { ...profile, samples, timeDeltas, startTime: Math.max(fromUs, profile.startTime), endTime: Math.min(toUs, profile.endTime) };
}

/** Self time per profile node from the samples (each sample's delta is the time since the previous one). */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return selfUs;
}

/** The profile's root nodes (no node lists them as a child). */
function roots(profile: CpuProfile): ProfileNode[] {
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  return profile.nodes.filter((n) => !childIds.has(n.id));
}

/** Self and inclusive time per function, largest first by self time. */
export function hotSpots(profile: CpuProfile): HotSpot[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = selfTimes(profile);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // Inclusive time counts a function once per stack even when it recurses.
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id)!;
    const name = label(n);
    const mine = selfUs.get(id) ?? 0;
    self.set(name, (self.get(name) ?? 0) + mine);
    const fresh = !onStack.has(name);
    if (fresh) onStack.add(name);
    let sum = mine;
    for (const c of n.children ?? []) sum += walk(c, onStack);
    if (fresh) {
      onStack.delete(name);
      total.set(name, (total.get(name) ?? 0) + sum);
    }
    return sum;
  };
  for (const n of roots(profile)) walk(n.id, new Set());
  return [...total.keys()]
    .map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: (total.get(name) ?? 0) / 1000 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** One uninterrupted stretch of samples in the same stack: the event loop did nothing else meanwhile. */
export interface Stall {
  ms: number;
  /** Milliseconds from the start of the profile. */
  atMs: number;
  stack: string[];
}

/** The longest stretches in which consecutive samples stayed in one stack (idle excluded). */
export function longestStalls(profile: CpuProfile, count: number): Stall[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stalls: Stall[] = [];
  let t = 0;
  let runId = -1;
  let runStart = 0;
  let runMs = 0;
  const close = () => {
    if (runId < 0 || runMs === 0) return;
    const stack: string[] = [];
    for (let id: number | undefined = runId; id !== undefined && stack.length < 6; id = parent.get(id)) stack.push(label(byId.get(id)!));
    if (!/^\((idle|root|program)\)/.test(stack[0])) stalls.push({ ms: runMs, atMs: runStart / 1000, stack });
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const id = profile.samples[i];
    if (id === runId) {
      // A sample's delta is the time since the previous sample, which was in this same stack.
      runMs += dt / 1000;
      continue;
    }
    close();
    runId = id;
    runStart = t;
    runMs = 0;
  }
  close();
  return stalls.sort((a, b) => b.ms - a.ms).slice(0, count);
}

/** Where a function's time goes: its self time and each direct callee's inclusive time, over all its call sites. */
export function callees(profile: CpuProfile, match: string): HotSpot[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = selfTimes(profile);
  const inclusive = (id: number): number => (selfUs.get(id) ?? 0) + (byId.get(id)!.children ?? []).reduce((sum, c) => sum + inclusive(c), 0);
  const rows = new Map<string, number>();
  // Outermost matches only, so a recursive function's time is not counted twice.
  const visit = (id: number, inside: boolean): void => {
    const n = byId.get(id)!;
    const hit = !inside && label(n).includes(match);
    if (hit) {
      rows.set('(self)', (rows.get('(self)') ?? 0) + (selfUs.get(id) ?? 0));
      for (const c of n.children ?? []) {
        const name = label(byId.get(c)!);
        rows.set(name, (rows.get(name) ?? 0) + inclusive(c));
      }
    }
    for (const c of n.children ?? []) visit(c, inside || hit);
  };
  for (const n of roots(profile)) visit(n.id, false);
  return [...rows].map(([name, us]) => ({ name, selfMs: 0, totalMs: us / 1000 })).sort((a, b) => b.totalMs - a.totalMs);
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { 'from-us': { type: 'string' }, 'to-us': { type: 'string' }, callees: { type: 'string' } }, allowPositionals: true });
  const [file, nArg] = positionals;
  if (!file) {
    process.stderr.write('usage: cpuprofile-top FILE.cpuprofile [N] [--from-us A --to-us B] [--callees NAME]\n');
    process.exit(2);
  }
  const n = Number(nArg ?? 30);
  let profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (values['from-us'] || values['to-us']) {
    profile = sliceProfile(profile, Number(values['from-us'] ?? 0), Number(values['to-us'] ?? Number.MAX_SAFE_INTEGER));
  }
  if (values.callees) {
    process.stdout.write(`where the time of ${values.callees} goes (ms, inclusive)\n`);
    for (const s of callees(profile, values.callees).slice(0, n)) process.stdout.write(`${s.totalMs.toFixed(0).padStart(10)}  ${s.name}\n`);
    return;
  }
  const spots = hotSpots(profile);
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const idle = spots.find((s) => s.name.startsWith('(idle)'))?.selfMs ?? 0;
  const row = (a: string, b: string, c: string) => `${a.padStart(10)} ${b.padStart(10)}  ${c}`;
  process.stdout.write(`profile: ${(wallMs / 1000).toFixed(1)} s wall, ${((wallMs - idle) / 1000).toFixed(1)} s busy\n\n`);
  process.stdout.write(`top ${n} by self time\n${row('self ms', 'total ms', 'function')}\n`);
  for (const s of spots.slice(0, n)) process.stdout.write(row(s.selfMs.toFixed(0), s.totalMs.toFixed(0), s.name) + '\n');
  const ours = spots.filter((s) => /^\S+ src\//.test(s.name)).sort((a, b) => b.totalMs - a.totalMs);
  process.stdout.write(`\ntop ${n} of skiff's own functions (src/) by total time\n${row('self ms', 'total ms', 'function')}\n`);
  for (const s of ours.slice(0, n)) process.stdout.write(row(s.selfMs.toFixed(0), s.totalMs.toFixed(0), s.name) + '\n');
  process.stdout.write(`\nlongest uninterrupted stretches in one stack (the event loop was blocked for that long)\n`);
  for (const st of longestStalls(profile, 12)) {
    process.stdout.write(`${st.ms.toFixed(1).padStart(8)} ms at ${(st.atMs / 1000).toFixed(2).padStart(6)} s  ${st.stack.join(' < ')}\n`);
  }
}

if (process.argv[1] && /cpuprofile-top\.(ts|js)$/.test(process.argv[1])) main();
