/**
 * An independent reading of X12 for the sandbox's own tests: what a receiving translator checks.
 */
/** Splits an interchange into segments of elements, reading the separators from ISA. */
export function segmentsOf(x12: string): string[][] {
  const element = x12[3] ?? '*';
  const terminator = x12[105] ?? '~';
  return x12
    .split(terminator)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => s.split(element));
}

/** Checks what a receiving translator checks: ISA width, counts and control numbers. */
export function envelopeProblems(x12: string): string[] {
  const problems: string[] = [];
  if (!x12.startsWith('ISA') || x12[105] !== '~') problems.push('ISA is not 106 characters');
  const segs = segmentsOf(x12);
  const isa = segs[0] ?? [];
  const iea = segs.at(-1) ?? [];
  if (isa.length !== 17) problems.push(`ISA has ${isa.length - 1} elements`);
  if (iea[0] !== 'IEA' || iea[2] !== isa[13]) problems.push('IEA02 does not match ISA13');
  let groups = 0;
  let group: string[] | undefined;
  let sets = 0;
  let st: { control: string; start: number } | undefined;
  segs.forEach((seg, i) => {
    if (seg[0] === 'GS') {
      groups += 1;
      group = seg;
      sets = 0;
    } else if (seg[0] === 'ST') {
      st = { control: seg[2] ?? '', start: i };
      sets += 1;
    } else if (seg[0] === 'SE' && st) {
      if (Number(seg[1]) !== i - st.start + 1)
        problems.push(`SE01 ${seg[1]} but ${i - st.start + 1} segments`);
      if (seg[2] !== st.control) problems.push('SE02 does not match ST02');
      st = undefined;
    } else if (seg[0] === 'GE') {
      if (Number(seg[1]) !== sets) problems.push(`GE01 ${seg[1]} but ${sets} sets`);
      if (seg[2] !== group?.[6]) problems.push('GE02 does not match GS06');
    }
  });
  if (Number(iea[1]) !== groups) problems.push(`IEA01 ${iea[1]} but ${groups} groups`);
  return problems;
}
