import { type Diagnostic, hasErrors } from '../diagnostics';
import { parseJson } from '../parse';
import type { ReconciliationDocument } from './reconciliation-types';
import {
  type ReconciliationValidateOptions,
  validateReconciliation,
} from './reconciliation-validate';

export interface LoadedReconciliation {
  /** Present when the text parsed and validated without errors. */
  reconciliation: ReconciliationDocument | undefined;
  value: unknown;
  diagnostics: Diagnostic[];
}

/** Parses and validates a reconciliation file's text; diagnostics carry line and column. */
export function loadReconciliation(
  text: string,
  options: ReconciliationValidateOptions = {},
): LoadedReconciliation {
  const parsed = parseJson(text);
  if (parsed.value === undefined)
    return { reconciliation: undefined, value: undefined, diagnostics: parsed.diagnostics };
  const diagnostics = validateReconciliation(parsed.value, options);
  for (const d of diagnostics) {
    const where = parsed.locate(d.pointer);
    if (where) {
      d.line = where.line;
      d.column = where.column;
    }
  }
  return {
    reconciliation: hasErrors(diagnostics)
      ? undefined
      : (parsed.value as unknown as ReconciliationDocument),
    value: parsed.value,
    diagnostics,
  };
}
