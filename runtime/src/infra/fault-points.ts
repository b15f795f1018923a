/**
 * Named points in the intake path and the step loop where the fault tests stop a process as a
 * crash would (`kill -9`), to prove that nothing accepted is lost and no effect is repeated
 * whatever step a crash falls on. `step:before-side-effect`: pure steps have run, their records
 * and checkpoint are not written yet, the side-effecting step after them is not sent yet.
 */
export type FaultPoint =
  | 'intake:before-record'
  | 'intake:after-record'
  | 'step:before-side-effect'
  /** The control tower saved a breach (and its escalation job), not yet escalated. */
  | 'tower:after-breach'
  /** The escalation flow was started, its run not yet written on the breach. */
  | 'tower:after-escalate';

export type FaultPoints = (point: FaultPoint) => Promise<void>;

const POINTS: readonly FaultPoint[] = [
  'intake:before-record',
  'intake:after-record',
  'step:before-side-effect',
  'tower:after-breach',
  'tower:after-escalate',
];

/**
 * Parses `CROSSDOCK_FAULTS` (tests only): `<point>@<n>` kills the process with SIGKILL the n-th
 * time it reaches the point, e.g. `intake:after-record@25`. Unset: every point is a no-op.
 */
export function faultPointsFrom(
  spec: string | undefined,
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): FaultPoints {
  if (spec === undefined || spec.trim() === '') return async () => {};
  const match = /^([a-z:-]+)@(\d+)$/.exec(spec.trim());
  const point = match?.[1] as FaultPoint | undefined;
  if (!match || !point || !POINTS.includes(point)) {
    throw new Error(
      `CROSSDOCK_FAULTS is "<point>@<n>" with a point of ${POINTS.join(', ')}; not "${spec}".`,
    );
  }
  const at = Number(match[2]);
  let seen = 0;
  return async (reached) => {
    if (reached !== point) return;
    seen += 1;
    if (seen === at) {
      kill();
      // SIGKILL is not instant: never let the intake go on past the point.
      await new Promise<never>(() => {});
    }
  };
}
