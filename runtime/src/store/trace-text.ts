import type { JsonValue } from '@crossdock/nodes';
import type { RunCheckpoint, StepRecord } from '../engine/run-types';
import { type Redactor, truncate } from '../infra/redaction';

/**
 * Where a payload object first left a step in this process: `[step index, emission index]`.
 * Kept across the checkpoints of one run's stay on a worker, so a later step whose input is
 * that same object stores a reference to it instead of a second copy.
 */
export type PayloadOrigins = Map<object, [number, number]>;

/**
 * The redacted JSON texts one checkpoint writes (its step records and the checkpoint), with
 * each payload serialized once. A payload travels through several of them: a step's output is
 * the next step's input and a pending message of the checkpoint, the same object each time, so
 * its text is made once per write and spliced in. Only within one write: all of a write's texts
 * are made at the same moment, so a shared text is exactly what serializing each again would
 * give, even if a node changed an object it was handed (across writes it might not be).
 *
 * With `origins`, a step's input that is an earlier step's output (the same object, written by
 * this process) is stored as `"inputOf": [step index, emission index]`, resolved when the trace
 * is read (`resolveInputs`): the earlier step's text was written when the input was handed
 * over, so it is the input as the step received it.
 *
 * An emission whose payload is an object this write already holds the text of, as an earlier
 * step's emission or as the step's own input (a trigger, a condition passing its message on), is
 * stored as `"payloadOf": [step index, emission index]` or `"payloadOf": "input"`. Only within one
 * write, for the reason above: the text referred to is the one the emission would have.
 */
export class TraceText {
  private readonly texts = new Map<object, string>();
  /** Where each payload object first left a step of this write. */
  private readonly emitted = new Map<object, [number, number]>();
  /** A redaction rule on a key the splicing uses would apply to the whole payload: not spliced. */
  private readonly splices: boolean;

  constructor(
    private readonly redactor: Redactor,
    private readonly maxBytes: number,
    private readonly origins?: PayloadOrigins,
  ) {
    this.splices = !['input', 'output', 'payload', 'pending'].some((k) => redactor.redacts(k));
  }

  /** A payload's redacted text, made once per object for this write. */
  payloadText(value: JsonValue): string {
    return this.payload(value) ?? 'null';
  }

  private payload(value: JsonValue | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object') return this.redactor.stringify(value);
    let text = this.texts.get(value);
    if (text === undefined) {
      text = this.redactor.stringify(value);
      this.texts.set(value, text);
    }
    return text;
  }

  /**
   * `head` (the JSON text of an object) with `"<key>":<text>` added as its last member; none
   * for an undefined value, as JSON.stringify leaves it out.
   */
  private static append(head: string, key: string, text: string | undefined): string {
    if (text === undefined) return head;
    return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"${key}":${text}}`;
  }

  /** The trace text of a step: redacted, its payloads truncated when it is over the limit. */
  step(step: StepRecord): string {
    const text = this.splices ? this.splicedStep(step) : this.redactor.stringify(step);
    this.written(step);
    if (text.length <= this.maxBytes) return text;
    // Only a large step pays for measuring each payload.
    const max = this.maxBytes;
    return this.redactor.stringify({
      ...step,
      input: truncate(step.input, max) ?? null,
      ...(step.output
        ? { output: step.output.map((e) => ({ ...e, payload: truncate(e.payload, max) ?? null })) }
        : {}),
    });
  }

  private splicedStep(step: StepRecord): string {
    const { input, output, ...rest } = step;
    const head = this.redactor.stringify(rest);
    const from = typeof input === 'object' && input !== null ? this.origins?.get(input) : undefined;
    const inputByRef = from !== undefined && from[0] < step.index;
    let text = inputByRef
      ? TraceText.append(head, 'inputOf', `[${from[0]},${from[1]}]`)
      : TraceText.append(head, 'input', this.payload(input));
    if (output) {
      const emissions = output.map(({ payload, ...e }, i) => {
        const meta = this.redactor.stringify(e);
        const ref = this.emissionRef(step, payload, inputByRef);
        if (typeof payload === 'object' && payload !== null && !this.emitted.has(payload))
          this.emitted.set(payload, [step.index, i]);
        return ref === undefined
          ? TraceText.append(meta, 'payload', this.payload(payload))
          : TraceText.append(meta, 'payloadOf', ref);
      });
      text = TraceText.append(text, 'output', `[${emissions.join(',')}]`);
    }
    return text;
  }

  /** Where this write already holds an emission's payload (see the class), as JSON text. */
  private emissionRef(
    step: StepRecord,
    payload: JsonValue | undefined,
    inputByRef: boolean,
  ): string | undefined {
    if (typeof payload !== 'object' || payload === null) return undefined;
    const at = this.emitted.get(payload);
    if (at !== undefined && at[0] < step.index) return `[${at[0]},${at[1]}]`;
    // The input's own text is in this record only when it is not a reference to another write.
    if (payload === step.input && !inputByRef) return '"input"';
    return undefined;
  }

  /** Remembers where the payloads of a written step came from (see `PayloadOrigins`). */
  private written(step: StepRecord): void {
    if (!this.origins || !this.splices) return;
    for (const [i, e] of (step.output ?? []).entries()) {
      const payload = e.payload;
      if (typeof payload === 'object' && payload !== null && !this.origins.has(payload))
        this.origins.set(payload, [step.index, i]);
    }
  }

  /** The checkpoint's text (stored redacted like the trace). */
  checkpoint(cp: RunCheckpoint): string {
    if (!this.splices) return this.redactor.stringify(cp);
    const { pending, ...rest } = cp;
    const messages = pending.map(({ payload, ...m }) =>
      TraceText.append(this.redactor.stringify(m), 'payload', this.payload(payload)),
    );
    return TraceText.append(this.redactor.stringify(rest), 'pending', `[${messages.join(',')}]`);
  }
}

/** A stored step record: its input and emissions' payloads, or where to find them (see `TraceText`). */
type StoredStep = StepRecord & {
  inputOf?: [number, number];
  output?: (NonNullable<StepRecord['output']>[number] & {
    payloadOf?: [number, number] | 'input';
  })[];
};

/** Puts back the inputs and emitted payloads stored as references to earlier ones. */
export function resolveInputs(steps: StepRecord[]): StepRecord[] {
  const byIndex = new Map<number, StepRecord>();
  const emittedAt = (ref: [number, number]) =>
    byIndex.get(ref[0])?.output?.[ref[1]]?.payload ?? null;
  for (const step of steps as StoredStep[]) {
    const ref = step.inputOf;
    if (ref !== undefined) {
      step.input = emittedAt(ref);
      delete step.inputOf;
    }
    for (const emission of step.output ?? []) {
      const of = emission.payloadOf;
      if (of === undefined) continue;
      emission.payload = of === 'input' ? step.input : emittedAt(of);
      delete emission.payloadOf;
    }
    byIndex.set(step.index, step);
  }
  return steps;
}
